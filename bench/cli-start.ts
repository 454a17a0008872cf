import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { claudeCorpus } from './generate-claude-corpus.ts';
import { ms, printTable, type Row } from './support/report.ts';
import { spawnMeasured } from './support/spawn-measured.ts';

const projectRoot = dirname(dirname(fileURLToPath(import.meta.url)));

type Sample = { wallMs: number; cpuMs?: number };
type Case = { name: string; run(): Promise<Sample> };

/**
 * `npm run bench -- cli-start [--store <data dir>] [--runs N] [--size MB]`: how long a command takes
 * from process start to exit, as `node bin/agentlog.js` (what the bench's other CLI figures and agent
 * hooks run) and as `npx agentlog` (npm's own start on top). Each case runs N times, interleaved, so
 * the machine's load weighs on all alike. Without --store, a store of the --size MB Claude corpus
 * (default 50) is imported first; `npm run bench -- import --source claude --keep` leaves a 500 MB one.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      store: { type: 'string' },
      runs: { type: 'string', default: '15' },
      size: { type: 'string', default: '50' },
    },
  });
  const runs = Number(values.runs);
  const home = values.store ?? mkdtempSync(join(tmpdir(), 'agentlog-bench-'));
  try {
    if (values.store === undefined) {
      const corpus = claudeCorpus(Number(values.size), (line) => console.log(line));
      console.log(`importing ${corpus.projects} into ${home} ...`);
      await spawnMeasured(['--data-dir', home, 'import', 'claude', corpus.projects, '--json']);
    }
    const stats = ['--data-dir', home, 'stats', 'usage', '--json'];
    const cases: Case[] = [
      { name: '--version', run: () => spawnMeasured(['--version']) },
      { name: '--help', run: () => spawnMeasured(['--help']) },
      { name: 'stats usage --json', run: () => spawnMeasured(stats) },
      { name: 'stats usage --json, via npx', run: () => viaNpx(stats) },
    ];
    const samples = new Map(cases.map((c) => [c.name, [] as Sample[]]));
    const loadBefore = loadavg()[0]!;
    for (let i = 0; i < runs; i++) for (const c of cases) samples.get(c.name)!.push(await c.run());
    const loadAfter = loadavg()[0]!;
    const rows: Row[] = cases.map(({ name }) => summary(name, samples.get(name)!));
    rows.push({
      name: 'load average (1 min)',
      value: `${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`,
      detail: `on ${availableParallelism()} cores; wall times grow with the load, CPU times much less`,
    });
    const statsWall = median(samples.get('stats usage --json')!.map((s) => s.wallMs));
    printTable(`CLI start: ${runs} runs of each, interleaved; store ${home}`, rows, [
      {
        name: 'stats usage (median wall)',
        target: '<= 200 ms',
        actual: ms(statsWall),
        met: statsWall <= 200,
      },
    ]);
  } finally {
    if (values.store === undefined) rmSync(home, { recursive: true, force: true });
  }
}

function summary(name: string, samples: Sample[]): Row {
  const walls = samples.map((s) => s.wallMs);
  const cpus = samples.flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs]));
  const cpu = cpus.length === 0 ? 'CPU not measured (npm and its child)' : `CPU median ${ms(median(cpus))}`;
  return { name, value: ms(median(walls)), detail: `wall median (min ${ms(Math.min(...walls))}); ${cpu}` };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** `npx agentlog <args>` from the checkout, as the README tells users to run it; wall time only. */
function viaNpx(args: string[]): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('npx', ['agentlog', ...args], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC' },
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve({ wallMs: performance.now() - started })
        : reject(new Error(`npx agentlog ${args.join(' ')} exited with ${code}`)),
    );
  });
}
