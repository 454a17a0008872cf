import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAgentlog } from '../src/agentlog.ts';
import { usageReport } from '../src/analytics/usage-report.ts';
import { loadConfig } from '../src/config/config.ts';
import type { ImportSummary } from '../src/ingest/import-run.ts';
import { walkFiles } from '../src/sources/shared/walk.ts';
import { corpusFloor, selectSources, type ImportBenchSource } from './support/import-sources.ts';
import { mbps, ms, pct, printTable, type Goal } from './support/report.ts';
import { spawnMeasured } from './support/spawn-measured.ts';
import { workCeiling } from './support/work-ceiling.ts';

const MB = 1024 * 1024;

type Options = { size: string; workers?: string; keep?: boolean };

/**
 * `npm run bench -- import [--source claude|codex|gemini|all] [--size MB] [--workers N] [--keep]`:
 * on a generated corpus of each source (`--size` MB each), measures in one run the JSON.parse
 * floor, a full import, an unchanged re-import and `stats usage`, one table per source.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      source: { type: 'string', default: 'all' },
      size: { type: 'string', default: '500' },
      workers: { type: 'string' },
      keep: { type: 'boolean' },
    },
  });
  for (const source of selectSources(values.source)) await measure(source, values);
}

async function measure(source: ImportBenchSource, values: Options): Promise<void> {
  const corpus = source.corpus(Number(values.size), (line) => console.log(line));
  const files: string[] = [];
  for await (const path of walkFiles(corpus.root, source.isTranscript)) files.push(path);

  // Best of two: the first run also brings the corpus into the page cache for everything after it.
  const loadBefore = loadavg()[0]!;
  let floorMs = Infinity;
  let floorCpuMs = Infinity;
  let floor = { bytes: 0, lines: 0 };
  for (let i = 0; i < 2; i++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    floor = await corpusFloor(files);
    floorMs = Math.min(floorMs, performance.now() - started);
    const used = process.cpuUsage(cpu);
    floorCpuMs = Math.min(floorCpuMs, (used.user + used.system) / 1000);
  }

  // What storing-free imports would reach: the import can only be slower than these.
  const threads = Math.max(1, Number(values.workers ?? availableParallelism()));
  const parseOnly = await workCeiling(source.name, files, 'parse', threads);
  const prepared = await workCeiling(source.name, files, 'prepare', threads);

  const home = mkdtempSync(join(tmpdir(), 'agentlog-bench-'));
  const env: Record<string, string> =
    values.workers === undefined ? {} : { AGENTLOG_IMPORT_WORKERS: values.workers };
  const importArgs = ['--data-dir', home, 'import', source.name, corpus.root, '--json'];
  try {
    console.log(`importing ${files.length} files (${(floor.bytes / MB).toFixed(0)} MB) into ${home} ...`);
    const full = await spawnMeasured(importArgs, env);
    const fullSummary = JSON.parse(full.stdout) as ImportSummary;
    const again = await spawnMeasured(importArgs, env);
    const againSummary = JSON.parse(again.stdout) as ImportSummary;
    if (againSummary.newMessages !== 0 || againSummary.filesUnchanged !== files.length)
      throw new Error(`the re-import was not a no-op: ${again.stdout}`);

    const startup = await spawnMeasured(['--help']);
    const statsCli = await spawnMeasured(['--data-dir', home, 'stats', 'usage', '--json']);
    const statsMs = await statsInProcess(home);
    const loadAfter = loadavg()[0]!;
    const storeBytes = statSync(join(home, 'agentlog.db')).size;

    const floorRate = floor.bytes / floorMs;
    const importRate = floor.bytes / full.wallMs;
    const goals: Goal[] = [
      {
        name: 'import / floor throughput',
        target: '>= 40 %',
        actual: pct(importRate / floorRate),
        met: importRate / floorRate >= 0.4,
      },
      {
        name: 're-import / import time',
        target: '<= 5 %',
        actual: pct(again.wallMs / full.wallMs),
        met: again.wallMs / full.wallMs <= 0.05,
      },
      {
        name: 'stats usage (command, wall)',
        target: '<= 200 ms',
        actual: ms(statsCli.wallMs),
        met: statsCli.wallMs <= 200,
      },
      {
        name: 'peak RSS of the import',
        target: '< 600 MB',
        actual: `${full.maxRssMb.toFixed(0)} MB`,
        met: full.maxRssMb < 600,
      },
    ];
    printTable(
      `import benchmark (${source.name}): ${files.length} files, ${(floor.bytes / MB).toFixed(0)} MB, ${floor.lines} lines`,
      [
        {
          name: 'floor: read + JSON.parse, 1 thread',
          value: ms(floorMs),
          detail: mbps(floor.bytes, floorMs),
        },
        {
          name: 'full import (wall)',
          value: ms(full.wallMs),
          detail: `${mbps(floor.bytes, full.wallMs)}, ${fullSummary.newMessages} messages, ${fullSummary.skippedLines.length} skipped lines`,
        },
        {
          name: 'CPU time: floor / full import',
          value: `${(floorCpuMs / 1000).toFixed(1)} s`,
          detail: `${(full.cpuMs / 1000).toFixed(1)} s (all threads): ${(full.cpuMs / floorCpuMs).toFixed(1)}× the floor's work`,
        },
        {
          name: `ceiling: parse only, ${threads} threads`,
          value: ms(parseOnly.wallMs),
          detail: ceilingDetail(parseOnly, threads, floor.bytes, floorMs, floorCpuMs),
        },
        {
          name: `ceiling: + redact + enrich, ${threads} threads`,
          value: ms(prepared.wallMs),
          detail: `${ceilingDetail(prepared, threads, floor.bytes, floorMs, floorCpuMs)}; nothing stored`,
        },
        {
          name: 're-import, nothing changed (wall)',
          value: ms(again.wallMs),
          detail: `${againSummary.filesUnchanged} files unchanged`,
        },
        { name: 'process start (agentlog --help)', value: ms(startup.wallMs) },
        { name: 'stats usage, CLI (wall)', value: ms(statsCli.wallMs) },
        { name: 'stats usage, in process', value: ms(statsMs), detail: 'open store + report, median of 5' },
        {
          name: 'peak RSS, full import',
          value: `${full.maxRssMb.toFixed(0)} MB`,
          detail: `re-import ${again.maxRssMb.toFixed(0)} MB`,
        },
        { name: 'store size', value: `${(storeBytes / MB).toFixed(0)} MB` },
        {
          name: 'load average (1 min)',
          value: `${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`,
          detail: `on ${availableParallelism()} cores; other work on the machine slows every figure`,
        },
      ],
      goals,
    );
  } finally {
    if (values.keep) console.log(`store kept in ${home}`);
    else rmSync(home, { recursive: true, force: true });
  }
}

/**
 * A ceiling's wall throughput against the floor's, and its CPU time spread over every thread: the
 * best the wall could do with each thread given a core of its own (a loaded machine hides that).
 */
function ceilingDetail(
  run: { wallMs: number; cpuMs: number },
  threads: number,
  bytes: number,
  floorMs: number,
  floorCpuMs: number,
): string {
  const cpu = `${(run.cpuMs / 1000).toFixed(1)} s CPU`;
  const best = pct(floorCpuMs / (run.cpuMs / threads));
  return `${mbps(bytes, run.wallMs)} = ${pct(floorMs / run.wallMs)} of the floor; ${cpu} (${best} with a core each)`;
}

/** `stats usage` as the command runs it, minus process start: open the store, build the report. */
async function statsInProcess(home: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const agentlog = await createAgentlog(loadConfig({ flags: { dataDir: home }, env: {} }));
    await usageReport(agentlog.store, agentlog.project.id, { by: 'day', timezone: 'UTC' });
    await agentlog.close();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[2]!;
}
