import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { analyticsCorpus } from './analytics-corpus.ts';
import { ms, printTable, type Row } from './support/report.ts';
import { spawnMeasured, type Measured } from './support/spawn-measured.ts';

type Written = { textBytes: number; checkpoint: { messages: number; rawRecords: number; bytes: number } };
type Pruned = { messages: number; rawRecords: number };

/**
 * `npm run bench -- checkpoint-pg [--messages 50000] [--url postgres://…]`: one store (the
 * analytics corpus) checkpointed and then pruned through the CLI on SQLite and, copied there by
 * `agentlog migrate`, on PostgreSQL. Wall time and the CLI's own CPU time (PostgreSQL's server
 * CPU is not in it), and PostgreSQL's as a ratio of SQLite's.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      messages: { type: 'string', default: '50000' },
      url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    },
  });
  const size = Number(values.messages);
  const corpus = await analyticsCorpus(size, (line) => console.log(line));
  await new SqliteStore(corpus.dbPath).close();
  const root = join(tmpdir(), `agentlog-bench-checkpoint-pg-${process.pid}`);
  const homes = { sqlite: join(root, 'sqlite'), postgres: join(root, 'postgres') };
  for (const home of Object.values(homes)) mkdirSync(home, { recursive: true });
  copyFileSync(corpus.dbPath, join(homes.sqlite, 'agentlog.db'));
  const schema = `agentlog_bench_${process.pid}`;
  const envs = {
    sqlite: { AGENTLOG_HOME: homes.sqlite },
    postgres: {
      AGENTLOG_HOME: homes.postgres,
      AGENTLOG_DATABASE_URL: values.url,
      AGENTLOG_DATABASE_SCHEMA: schema,
    },
  };
  try {
    console.log(`copying ${size.toLocaleString('en-US')} messages to PostgreSQL (schema ${schema}) ...`);
    await spawnMeasured(['migrate', '--to', values.url, '--schema', schema, '--json'], envs.sqlite);
    const measured: Record<
      string,
      { checkpoint: Measured; written: Written; prune: Measured; pruned: Pruned }
    > = {};
    for (const [backend, env] of Object.entries(envs)) {
      console.log(`checkpoint and prune on ${backend} ...`);
      const checkpoint = await spawnMeasured(['checkpoint', '--json'], env);
      const prune = await spawnMeasured(['checkpoint', 'prune', '--keep-days', '1', '--json'], env);
      measured[backend] = {
        checkpoint,
        written: JSON.parse(checkpoint.stdout) as Written,
        prune,
        pruned: JSON.parse(prune.stdout) as Pruned,
      };
    }
    const rows: Row[] = [];
    for (const [backend, m] of Object.entries(measured)) {
      const mb = m.written.textBytes / 1024 / 1024;
      rows.push({
        name: `checkpoint, ${backend}`,
        value: ms(m.checkpoint.wallMs),
        detail: `CPU ${ms(m.checkpoint.cpuMs)}, ${(mb / (m.checkpoint.wallMs / 1000)).toFixed(1)} MB/s of JSON Lines (${mb.toFixed(0)} MB: ${m.written.checkpoint.messages} messages + ${m.written.checkpoint.rawRecords} raw records), peak RSS ${m.checkpoint.maxRssMb.toFixed(0)} MB`,
      });
      rows.push({
        name: `prune everything archived, ${backend}`,
        value: ms(m.prune.wallMs),
        detail: `CPU ${ms(m.prune.cpuMs)}, ${m.pruned.messages} messages + ${m.pruned.rawRecords} raw records deleted (checkpoint verified first)`,
      });
    }
    const ratio = (pick: (m: (typeof measured)[string]) => number) =>
      `${(pick(measured.postgres!) / pick(measured.sqlite!)).toFixed(2)}×`;
    rows.push({
      name: 'PostgreSQL ÷ SQLite',
      value: ratio((m) => m.checkpoint.wallMs),
      detail: `checkpoint wall (CLI CPU ${ratio((m) => m.checkpoint.cpuMs)}); prune wall ${ratio((m) => m.prune.wallMs)}`,
    });
    printTable(
      `checkpoint and prune of ${size.toLocaleString('en-US')} messages, SQLite and PostgreSQL`,
      rows,
      [],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: values.url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}
