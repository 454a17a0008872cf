import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openDuck } from '../../src/archive/duckdb.ts';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { runCli } from '../support/run-cli.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { ingest, writeBare } from '../analytics/seed.ts';

const day = 86_400_000;
const start = Date.UTC(2025, 0, 1);

async function seeded(dir: string): Promise<void> {
  const store = new SqliteStore(join(dir, 'agentlog.db'));
  const project = await store.ensureProject('default');
  await ingest(
    store,
    project.id,
    'api',
    Array.from({ length: 10 }, (_, i) => ({
      session: i < 5 ? 'early' : 'late',
      id: `m${i}`,
      role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
      text: `message ${i} on day ${i}`,
      timestamp: start + i * day,
    })),
  );
  await store.close();
}

describe('agentlog checkpoint, query, export', () => {
  const tempDir = useTempDirs();

  it('checkpoints, lists, verifies, queries the archive and prunes the hot store', async () => {
    const dir = tempDir();
    await seeded(dir);
    const cli = (...args: string[]) => runCli(['--data-dir', dir, ...args]);
    const created = await cli('checkpoint', '--label', 'january', '--json');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      status: 'written',
      checkpoint: { seq: 1, label: 'january', messages: 10 },
    });
    expect((await cli('checkpoint')).stdout).toContain('Nothing new since checkpoint 1');
    expect((await cli('checkpoint', 'list')).stdout).toMatch(/checkpoint 1 "january": 10 messages/);
    const verified = await cli('checkpoint', 'verify', '--json');
    expect(JSON.parse(verified.stdout)).toEqual({ verifications: [{ seq: 1, ok: true, problems: [] }] });

    const query = await cli(
      'query',
      'SELECT role, COUNT(*)::INTEGER AS n FROM messages GROUP BY role ORDER BY role',
      '--json',
    );
    expect(query.code).toBe(0);
    expect(JSON.parse(query.stdout)).toEqual({
      columns: [
        { name: 'role', type: 'VARCHAR' },
        { name: 'n', type: 'INTEGER' },
      ],
      rows: [
        ['assistant', 5],
        ['user', 5],
      ],
    });
    const table = await cli('query', 'SELECT seq, label FROM checkpoints');
    expect(table.stdout).toBe('seq\tlabel\n1\tjanuary\n');
    const bad = await cli('query', 'SELECT nope FROM messages');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('The query failed');

    const noDays = await cli('checkpoint', 'prune');
    expect(noDays.stderr).toContain('--keep-days');
    const pruned = await cli('checkpoint', 'prune', '--keep-days', '1', '--json');
    expect(JSON.parse(pruned.stdout)).toMatchObject({ messages: 10, verifiedThrough: 1 });
    expect(
      JSON.parse((await cli('report', '--format', 'json', '--json')).stdout).report.totals.messages,
    ).toBe(0);
    const still = await cli('query', 'SELECT COUNT(*)::INTEGER FROM messages', '--json');
    expect(JSON.parse(still.stdout).rows).toEqual([[10]]);
  });

  it('exports JSON Lines (plain, gzip, stdout) and Parquet, filtered', async () => {
    const dir = tempDir();
    await seeded(dir);
    const cli = (...args: string[]) => runCli(['--data-dir', dir, ...args]);
    const plain = join(dir, 'all.jsonl');
    const result = await cli('export', '--format', 'jsonl', '--out', plain, '--json');
    expect(JSON.parse(result.stdout)).toMatchObject({ format: 'jsonl', messages: 10 });
    const rows = readFileSync(plain, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string; timestamp: number; session_id: string });
    expect(rows.map((r) => r.text)).toEqual(Array.from({ length: 10 }, (_, i) => `message ${i} on day ${i}`));

    const gz = join(dir, 'window.jsonl.gz');
    await cli('export', '--format', 'jsonl', '--out', gz, '--since', '2025-01-03', '--until', '2025-01-05');
    expect(gunzipSync(readFileSync(gz)).toString('utf8').trim().split('\n')).toHaveLength(2);

    const stdout = await cli('export', '--format', 'jsonl', '--out', '-', '--session', rows[9]!.session_id);
    expect(stdout.stdout.trim().split('\n')).toHaveLength(5);

    const parquet = join(dir, 'late.parquet');
    await cli('export', '--format', 'parquet', '--out', parquet, '--since', '2025-01-06');
    const duck = await openDuck();
    const read = await duck.connection.runAndReadAll(
      `SELECT COUNT(*)::INTEGER AS n, MIN(text) AS first FROM read_parquet('${parquet}')`,
    );
    expect(read.getRowObjectsJson()).toEqual([{ n: 5, first: 'message 5 on day 5' }]);
    duck.close();

    const bad = await cli('export', '--format', 'parquet', '--out', '-');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Only JSON Lines can go to stdout');
    expect((await cli('export', '--format', 'csv', '--out', 'x')).stderr).toContain('jsonl or parquet');
  });

  it('masks secrets on the way out, even when the store holds them', async () => {
    const dir = tempDir();
    const store = new SqliteStore(join(dir, 'agentlog.db'));
    const project = await store.ensureProject('default');
    const key = 'AKIAZ2QWERTY3ASDFGHJ';
    // Written around the ingest pipeline, as a store kept with redaction off would hold it.
    await writeBare(store, project.id, 'api', [
      {
        session: 's',
        id: 'k',
        role: 'user',
        blocks: [
          { type: 'tool_use', id: 't1', name: 'Bash', input: { command: `export AWS_ACCESS_KEY_ID=${key}` } },
        ],
        timestamp: start,
      },
      { session: 's', id: 't', role: 'user', text: `my key is ${key} ok`, timestamp: start + 1 },
    ]);
    await store.close();
    const out = join(dir, 'gated.jsonl');
    const result = await runCli(['--data-dir', dir, 'export', '--format', 'jsonl', '--out', out, '--json']);
    const outcome = JSON.parse(result.stdout) as { secretsMasked: Record<string, number> };
    // The command, the text, and the text block holding the same text.
    expect(Object.values(outcome.secretsMasked).reduce((a, b) => a + b, 0)).toBe(3);
    const written = readFileSync(out, 'utf8');
    expect(written).not.toContain(key);
    const rows = written
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string; blocks: string });
    expect(rows[1]!.text).toMatch(/^my key is \[REDACTED:[a-z_-]+\] ok$/);
    expect(JSON.parse(rows[0]!.blocks)[0].input.command).toMatch(/\[REDACTED:/);
  });

  it('masks secrets in query answers over archives that hold them', async () => {
    const dir = tempDir();
    const store = new SqliteStore(join(dir, 'agentlog.db'));
    const project = await store.ensureProject('default');
    const key = 'AKIAZ2QWERTY3ASDFGHJ';
    await writeBare(store, project.id, 'api', [
      {
        session: 's',
        id: 'k',
        role: 'user',
        // An escaped quote inside the JSON text: the value is scanned decoded.
        blocks: [{ type: 'tool_use', id: 't1', name: 'Bash', input: { command: `echo "${key}"` } }],
        timestamp: start,
      },
      { session: 's', id: 't', role: 'user', text: `my key is ${key} ok`, timestamp: start + 1 },
    ]);
    await store.close();
    const cli = (...args: string[]) => runCli(['--data-dir', dir, ...args]);
    expect((await cli('checkpoint')).code).toBe(0);

    const json = await cli(
      'query',
      'SELECT text, blocks, [text] AS list FROM messages ORDER BY id',
      '--json',
    );
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout).not.toContain(key);
    const answer = JSON.parse(json.stdout) as { rows: string[][]; secretsMasked: Record<string, number> };
    expect(Object.values(answer.secretsMasked).reduce((a, b) => a + b, 0)).toBe(4);
    expect(answer.rows[1]![0]).toMatch(/^my key is \[REDACTED:[a-z_-]+\] ok$/);
    expect(answer.rows[1]![2]).toEqual([answer.rows[1]![0]]);
    const blocks = JSON.parse(answer.rows[0]![1]!) as { input: { command: string } }[];
    expect(blocks[0]!.input.command).toMatch(/^echo "\[REDACTED:[a-z_-]+\]"$/);

    const table = await cli('query', "SELECT 'key: ' || text FROM messages WHERE id = 2");
    expect(table.stdout).not.toContain(key);
    expect(table.stderr).toMatch(/masked secrets the archives still hold: 1 /);
    const clean = await cli('query', 'SELECT COUNT(*)::INTEGER AS n FROM messages', '--json');
    expect(JSON.parse(clean.stdout)).toEqual({ columns: [{ name: 'n', type: 'INTEGER' }], rows: [[2]] });
  });
});
