import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAgentlog } from '../src/agentlog.ts';
import { loadConfig } from '../src/config/config.ts';
import type { BuildSummary, ValidationReport } from '../src/datasets/dataset-contract.ts';
import { TrainingFiles } from '../src/datasets/training-files.ts';
import { writeCorpus } from './dataset-corpus.ts';
import { printTable, type Goal, type Row } from './support/report.ts';
import { spawnMeasured } from './support/spawn-measured.ts';

/**
 * `npm run bench -- dataset [--sessions 10000] [--messages 100] [--keep DIR]`: builds training
 * files of a quarter, half and all of a synthetic corpus (`agentlog dataset build`, each in a
 * fresh process: time, CPU and peak memory; one thread, the default), the largest again with two
 * worker threads, then validates its output with `agentlog dataset validate`.
 * Goals: the full build within 30 s; peak memory flat as the input grows.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      sessions: { type: 'string', default: '10000' },
      messages: { type: 'string', default: '100' },
      keep: { type: 'string' },
    },
  });
  const sessions = Number(values.sessions);
  const home = values.keep ?? mkdtempSync(join(tmpdir(), 'agentlog-bench-dataset-'));
  try {
    const sizes = [Math.round(sessions / 4), Math.round(sessions / 2), sessions];
    const seeded = await seed(home, sessions, Number(values.messages), sizes);
    const rows: Row[] = [
      {
        name: 'corpus',
        value: `${seeded.messages} msgs`,
        detail: `${sessions} sessions, written in ${(seeded.ms / 1000).toFixed(1)} s (not measured below)`,
      },
    ];
    const builds: { size: number; wallMs: number; maxRssMb: number; summary: BuildSummary }[] = [];
    for (const size of sizes) {
      const out = join(home, `out-${size}`);
      const m = await spawnMeasured([
        '--data-dir',
        home,
        'dataset',
        'build',
        `bench-${size}`,
        '--min-examples',
        '1',
        '--out',
        out,
        '--json',
      ]);
      const summary = JSON.parse(m.stdout) as BuildSummary;
      builds.push({ size, wallMs: m.wallMs, maxRssMb: m.maxRssMb, summary });
      rows.push({
        name: `build ${size} sessions`,
        value: `${(m.wallMs / 1000).toFixed(1)} s`,
        detail: `${summary.examples} examples, ${summary.dropped.total} dropped (${Object.entries(
          summary.dropped.byReason,
        )
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}), CPU ${(m.cpuMs / 1000).toFixed(1)} s, peak RSS ${m.maxRssMb.toFixed(0)} MB`,
      });
    }
    // The same build with two worker threads (datasets.workers 2), against the default one thread.
    writeFileSync(join(home, 'config.json'), JSON.stringify({ datasets: { workers: 2 } }));
    const single = await spawnMeasured([
      '--data-dir',
      home,
      'dataset',
      'build',
      `bench-${sessions}`,
      '--min-examples',
      '1',
      '--json',
    ]);
    rmSync(join(home, 'config.json'));
    const singleDigest = (JSON.parse(single.stdout) as BuildSummary).digest;
    rows.push({
      name: `build ${sessions}, 2 workers`,
      value: `${(single.wallMs / 1000).toFixed(1)} s`,
      detail: `CPU ${(single.cpuMs / 1000).toFixed(1)} s, peak RSS ${single.maxRssMb.toFixed(0)} MB, ${singleDigest === builds.at(-1)!.summary.digest ? 'the same digest' : 'A DIFFERENT DIGEST'}`,
    });
    const largest = join(home, `out-${sessions}`, 'train.jsonl');
    const v = await spawnMeasured(['dataset', 'validate', largest, '--estimate-tokens', '--json'], {
      AGENTLOG_HOME: home,
    });
    const report = JSON.parse(v.stdout) as ValidationReport;
    rows.push({
      name: 'validate train.jsonl',
      value: `${(v.wallMs / 1000).toFixed(1)} s`,
      detail: `${report.stats.examples} examples, ${report.errorCount} errors, ${report.stats.nearDuplicates} near-duplicates, peak RSS ${v.maxRssMb.toFixed(0)} MB`,
    });
    const full = builds.at(-1)!;
    const growth = full.maxRssMb / builds[0]!.maxRssMb;
    const goals: Goal[] = [
      {
        name: `build ${sessions} sessions`,
        target: '≤ 30 s',
        actual: `${(full.wallMs / 1000).toFixed(1)} s`,
        met: full.wallMs <= 30_000,
      },
      {
        name: 'peak memory, 4× the input',
        target: '≤ 1.5×',
        actual: `${growth.toFixed(2)}×`,
        met: growth <= 1.5,
      },
      { name: 'validated output', target: '0 errors', actual: String(report.errorCount), met: report.ok },
    ];
    printTable(
      'dataset build: sessions → validated, de-duplicated JSONL (each build in a fresh process)',
      rows,
      goals,
    );
  } finally {
    if (values.keep === undefined) rmSync(home, { recursive: true, force: true });
  }
}

async function seed(home: string, sessions: number, messages: number, sizes: number[]) {
  const agentlog = await createAgentlog(loadConfig({ flags: { dataDir: home }, env: {}, home }));
  try {
    const started = performance.now();
    const existing = await agentlog.store.counts(agentlog.project.id);
    const total =
      existing.sessions >= sessions
        ? existing.messages
        : await writeCorpus(agentlog, sessions, messages, (done) =>
            process.stderr.write(`\rwriting the corpus: ${done}/${sessions} sessions`),
          );
    process.stderr.write('\n');
    const files = new TrainingFiles({
      store: agentlog.store,
      blobs: agentlog.blobs,
      projectId: agentlog.project.id,
      config: agentlog.config.datasets,
    });
    const ids = (await agentlog.store.listSessions({ projectId: agentlog.project.id, source: 'bench' }))
      .map((s) => s.id)
      .sort();
    for (const size of sizes)
      if ((await agentlog.store.findTrainingFiles(agentlog.project.id, `bench-${size}`)).length === 0)
        await files.create({ name: `bench-${size}`, sessions: ids.slice(0, size) });
    return { messages: total, ms: performance.now() - started };
  } finally {
    await agentlog.close();
  }
}
