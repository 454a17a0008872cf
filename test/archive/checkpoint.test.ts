import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, onTestFinished } from 'vitest';
import { collectReport } from '../../src/analytics/report/collect-report.ts';
import { searchMessages } from '../../src/analytics/search.ts';
import { createCheckpoint, type CheckpointDeps } from '../../src/archive/create-checkpoint.ts';
import { openDuck } from '../../src/archive/duckdb.ts';
import { openArchives } from '../../src/archive/query-archives.ts';
import { applyRetention } from '../../src/archive/retention.ts';
import { verifyCheckpoint } from '../../src/archive/verify-checkpoint.ts';
import { decompressRaw } from '../../src/ingest/raw-codec.ts';
import type { Store, WriteBatch } from '../../src/storage/ports.ts';
import { FsBlobStore } from '../../src/storage/fs/fs-blob-store.ts';
import { PgStore } from '../../src/storage/postgres/pg-store.ts';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { freshPgSchema } from '../storage/postgres/pg-test-schema.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { ingest, type SeedMessage } from '../analytics/seed.ts';

const day = 86_400_000;
const now = Date.UTC(2025, 6, 1);

function messages(session: string, count: number, start: number, prefix = session): SeedMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    session,
    id: `${prefix}-${i}`,
    role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
    text: `${session} message ${i} about archives`,
    timestamp: start + i * 60_000,
  }));
}

async function all<T>(rows: AsyncIterable<T[][]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const chunk of rows) out.push(...chunk);
  return out;
}

/** Every store adapter runs these: a fresh store, closed (and its schema dropped) when the test ends. */
const adapters: Record<string, (dir: string) => Promise<{ store: Store; close(): Promise<void> }>> = {
  SQLite: async (dir) => {
    const store = new SqliteStore(join(dir, 'agentlog.db'));
    return { store, close: () => store.close() };
  },
  PostgreSQL: async () => {
    const target = await freshPgSchema();
    const store = await PgStore.open(target);
    return { store, close: async () => (await store.close(), await target.drop()) };
  },
};

for (const [adapter, open] of Object.entries(adapters)) {
  async function setup(dir: string) {
    const { store, close } = await open(dir);
    onTestFinished(close);
    const project = await store.ensureProject('default');
    const blobs = new FsBlobStore(join(dir, 'blobs'));
    const deps: CheckpointDeps = { store, blobs, project, tempDir: dir };
    return { store, project, blobs, deps };
  }

  describe(`checkpoints: ${adapter}`, () => {
    const tempDir = useTempDirs();

    it('archives what is new as JSON Lines and Parquet with a verified manifest, once', async () => {
      const dir = tempDir();
      const { store, project, blobs, deps } = await setup(dir);
      await ingest(store, project.id, 'api', messages('s1', 6, now - 40 * day));
      const first = await createCheckpoint(deps, { label: 'first', now });
      expect(first.status).toBe('written');
      if (first.status !== 'written') return;
      expect(first.checkpoint).toMatchObject({ seq: 1, label: 'first', messages: 6, rawRecords: 6 });
      expect(first.checkpoint.firstTimestamp).toBe(now - 40 * day);
      expect(first.manifest.files.map((f) => `${f.table}.${f.format}`).sort()).toEqual([
        'messages.jsonl.gz',
        'messages.parquet',
        'raw_records.jsonl.gz',
        'raw_records.parquet',
      ]);
      expect(await createCheckpoint(deps, { now })).toMatchObject({ status: 'nothing_new' });

      const jsonl = first.manifest.files.find((f) => f.table === 'messages' && f.format === 'jsonl.gz')!;
      const lines = gunzipSync(readFileSync(blobs.locate(jsonl.key)))
        .toString('utf8')
        .trim()
        .split('\n');
      const rows = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(rows.map((r) => r.text)).toEqual(messages('s1', 6, 0).map((m) => m.text));
      expect(rows[0]).toMatchObject({ role: 'user', source: 'api', revisions: '[]' });

      const raw = first.manifest.files.find((f) => f.table === 'raw_records' && f.format === 'jsonl.gz')!;
      const rawRow = JSON.parse(
        gunzipSync(readFileSync(blobs.locate(raw.key)))
          .toString('utf8')
          .split('\n')[0]!,
      ) as { data_zstd: string };
      const rawBytes = decompressRaw(Buffer.from(rawRow.data_zstd, 'base64'));
      expect(JSON.parse(rawBytes.toString('utf8'))).toMatchObject({ id: 's1-0' });

      const duck = await openDuck();
      const parquet = first.manifest.files.find((f) => f.table === 'messages' && f.format === 'parquet')!;
      const counted = await duck.connection.runAndReadAll(
        `SELECT COUNT(*)::INTEGER AS n, MIN(timestamp)::BIGINT AS t FROM read_parquet('${blobs.locate(parquet.key)}')`,
      );
      expect(counted.getRowObjectsJson()).toEqual([{ n: 6, t: String(now - 40 * day) }]);
      const settings = await duck.connection.runAndReadAll(
        "SELECT current_setting('autoinstall_known_extensions') AS i, current_setting('autoload_known_extensions') AS l",
      );
      expect(settings.getRowObjectsJson()).toEqual([{ i: false, l: false }]);
      duck.close();

      expect((await verifyCheckpoint(deps, first.checkpoint, now)).ok).toBe(true);
      expect((await store.listCheckpoints(project.id))[0]!.verifiedAt).toBe(now);
    });

    it('archives a message again when it is revised after its checkpoint, with the old version', async () => {
      const dir = tempDir();
      const { store, project, deps } = await setup(dir);
      await ingest(store, project.id, 'api', messages('s1', 2, now - day));
      await createCheckpoint(deps, { now });
      const [original] = messages('s1', 1, now - day);
      const batch: WriteBatch = {
        projectId: project.id,
        sessions: [],
        raw: [],
        usage: [],
        blobs: [],
        fileStates: [],
        messages: [
          {
            source: 'api',
            sessionExternalId: 's1',
            externalId: original!.id,
            parentExternalId: null,
            role: 'user',
            kind: 'message',
            speaker: null,
            blocks: [{ type: 'text', text: 'edited text' }],
            text: 'edited text',
            model: null,
            usage: null,
            responseId: null,
            timestamp: original!.timestamp,
            seq: 0,
            contentHash: 'edited',
            meta: {},
            revisable: true,
            rawHash: null,
          },
        ],
      };
      expect((await store.write(batch)).messageStatus).toEqual(['revised']);
      const second = await createCheckpoint(deps, { now: now + 1000 });
      expect(second).toMatchObject({ status: 'written', checkpoint: { seq: 2, messages: 1, rawRecords: 0 } });
      expect(await createCheckpoint(deps, { now: now + 2000 })).toMatchObject({ status: 'nothing_new' });
      const archives = await openArchives({ store, blobs: deps.blobs, projectId: project.id });
      const answer = await archives.query(
        "SELECT text, json_extract_string(revisions, '$[0].text') AS old FROM messages WHERE text = 'edited text'",
      );
      expect(await all(answer.rows)).toEqual([['edited text', 's1 message 0 about archives']]);
      await archives.close();
    });
  });

  describe(`retention: ${adapter}`, () => {
    const tempDir = useTempDirs();

    it('deletes old archived messages from every hot table, keeps what no verified checkpoint holds', async () => {
      const dir = tempDir();
      const { store, project, blobs, deps } = await setup(dir);
      await ingest(store, project.id, 'api', messages('old', 4, now - 60 * day));
      await ingest(store, project.id, 'api', messages('mixed', 2, now - 45 * day));
      await ingest(store, project.id, 'api', messages('mixed', 2, now - day, 'mixed-late'));
      await createCheckpoint(deps, { now });
      // Old by its time, but stored after the checkpoint: not archived, so it stays.
      await ingest(store, project.id, 'api', messages('late', 1, now - 90 * day));

      const outcome = await applyRetention({ store, blobs, projectId: project.id }, { hotDays: 30, now });
      expect(outcome).toMatchObject({ verifiedThrough: 1, verified: 1, messages: 6, failed: null });
      // The raw records of `old` go (its whole session left); `mixed` still has messages.
      expect(outcome.rawRecords).toBe(4);
      const left = await collectReport(store, { projectId: project.id, projectName: 'default', now });
      expect(left.totals.messages).toBe(3);
      expect((await searchMessages(store, project.id, { text: 'old' })).results).toEqual([]);
      expect((await searchMessages(store, project.id, { text: 'archives' })).results).toHaveLength(3);
      expect(await store.counts(project.id)).toMatchObject({ messages: 3, rawRecords: 5 });

      const archives = await openArchives({ store, blobs, projectId: project.id });
      const answer = await archives.query('SELECT COUNT(*)::INTEGER FROM messages');
      expect(await all(answer.rows)).toEqual([[8]]);
      await archives.close();
    });

    it('deletes nothing a damaged checkpoint holds', async () => {
      const dir = tempDir();
      const { store, project, blobs, deps } = await setup(dir);
      await ingest(store, project.id, 'api', messages('a', 2, now - 60 * day));
      const first = await createCheckpoint(deps, { now });
      await ingest(store, project.id, 'api', messages('b', 2, now - 50 * day));
      const second = await createCheckpoint(deps, { now: now + 1 });
      if (first.status !== 'written' || second.status !== 'written') throw new Error('no checkpoint');
      const damaged = second.manifest.files.find((f) => f.format === 'parquet' && f.table === 'messages')!;
      const path = blobs.locate(damaged.key);
      const bytes = readFileSync(path);
      bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff;
      writeFileSync(path, bytes);

      const outcome = await applyRetention({ store, blobs, projectId: project.id }, { hotDays: 30, now });
      expect(outcome.verifiedThrough).toBe(1);
      expect(outcome.failed).toMatchObject({ seq: 2, ok: false });
      expect(outcome.failed!.problems[0]).toContain('does not match its sha256');
      expect(outcome.messages).toBe(2);
      expect((await store.counts(project.id)).messages).toBe(2);
    });

    it('archives messages stored after everything was deleted (ids handed out again)', async () => {
      const dir = tempDir();
      const { store, project, blobs, deps } = await setup(dir);
      await ingest(store, project.id, 'api', messages('a', 3, now - 60 * day));
      await createCheckpoint(deps, { now });
      expect(
        (await applyRetention({ store, blobs, projectId: project.id }, { hotDays: 30, now })).messages,
      ).toBe(3);
      await ingest(store, project.id, 'api', messages('b', 2, now - 59 * day));
      const again = await createCheckpoint(deps, { now: now + 1 });
      expect(again).toMatchObject({ status: 'written', checkpoint: { seq: 2, messages: 2 } });
      const report = await collectReport(store, { projectId: project.id, projectName: 'default', now });
      expect(report.totals.messages).toBe(2);
      expect(
        (await applyRetention({ store, blobs, projectId: project.id }, { hotDays: 30, now })).messages,
      ).toBe(2);
      const archives = await openArchives({ store, blobs, projectId: project.id });
      expect(await all((await archives.query('SELECT COUNT(*)::INTEGER FROM messages')).rows)).toEqual([[5]]);
      await archives.close();
    });

    it('refuses a checkpoint planned before another was recorded', async () => {
      const dir = tempDir();
      const { store, project, deps } = await setup(dir);
      await ingest(store, project.id, 'api', messages('a', 2, now - day));
      const plan = await store.planCheckpoint(project.id);
      await createCheckpoint(deps, { now });
      await expect(
        store.recordCheckpoint({
          projectId: project.id,
          seq: plan.seq,
          label: null,
          createdAt: now,
          messageRange: plan.messages,
          rawRange: plan.raw,
          messages: 2,
          rawRecords: 2,
          firstTimestamp: null,
          lastTimestamp: null,
          bytes: 0,
          sha256: '0'.repeat(64),
          manifestKey: 'x',
          revisedArchived: [],
        }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
    });
  });
}
