import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createCheckpoint } from '../../../src/archive/create-checkpoint.ts';
import type { NewRun } from '../../../src/domain/run.ts';
import { FsBlobStore } from '../../../src/storage/fs/fs-blob-store.ts';
import { PgStore } from '../../../src/storage/postgres/pg-store.ts';
import { ingest, type SeedMessage } from '../../analytics/seed.ts';
import { collect } from '../../support/store-contract-kit.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { freshPgSchema, testDatabaseUrl } from './pg-test-schema.ts';

const tempDir = useTempDirs();
const now = Date.UTC(2025, 6, 1);

/** Two stores on one fresh schema: two replicas sharing a database. */
async function replicas() {
  const target = await freshPgSchema();
  const a = await PgStore.open(target);
  const b = await PgStore.open(target);
  onTestFinished(async () => {
    await a.close();
    await b.close();
    await target.drop();
  });
  const project = await a.ensureProject('default');
  return { a, b, project, schema: target.schema };
}

const seed = (count: number, session = 's'): SeedMessage[] =>
  Array.from({ length: count }, (_, i) => ({
    session,
    id: `${session}-${i}`,
    role: 'user',
    text: `${session} message ${i}`,
    timestamp: now - 1000 + i,
  }));

describe('replicas racing on one PostgreSQL', { timeout: 60_000 }, () => {
  it('give a chain id to one run; the others hear chainId, as on SQLite', async () => {
    const { a, b, project } = await replicas();
    const run = (id: string): NewRun => ({
      id,
      chainId: 'RACE22',
      projectId: project.id,
      launchType: 'local',
      command: ['false'],
      cwd: '/',
      host: 'h',
      configPath: null,
      git: null,
      meta: {},
      sessionId: null,
      conversationKey: null,
      warnings: [],
      startedAt: now,
    });
    const answers = await Promise.all(
      ['run_1', 'run_2', 'run_3', 'run_4'].map((id, i) => (i % 2 === 0 ? a : b).insertRun(run(id))),
    );
    expect(answers.filter((x) => x.ok)).toHaveLength(1);
    expect(answers.filter((x) => !x.ok)).toEqual(Array(3).fill({ ok: false, conflict: 'chainId' }));
    const winner = answers.find((x) => x.ok);
    expect(await b.insertRun({ ...run(winner!.ok ? winner!.run.id : ''), chainId: 'OTHER2' })).toEqual({
      ok: false,
      conflict: 'id',
    });
  });

  it('number builds of one training file consecutively', async () => {
    const { a, b, project } = await replicas();
    await a.createTrainingFile({
      file: { id: 'tf_r', projectId: project.id, name: 'r', description: null, createdAt: now },
      sessionIds: [],
    });
    const build = (digest: string) => ({
      fileId: 'tf_r',
      format: 'openai' as const,
      digest,
      createdAt: now,
      files: [],
      summary: {},
    });
    const versions = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? a : b).recordTrainingFileBuild(build(`d${i}`))),
    );
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    await expect(
      a.addTrainingFileSessions({ fileId: 'tf_gone', sessionIds: ['x'], at: now }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('never write one project’s checkpoint at the same time: one writes, the other is refused', async () => {
    const { a, b, project } = await replicas();
    await ingest(a, project.id, 'api', seed(50));
    const blobs = new FsBlobStore(join(tempDir(), 'blobs'));
    const outcomes = await Promise.allSettled(
      [a, b].map((store, i) =>
        createCheckpoint({ store, blobs, project, tempDir: tempDir() }, { now: now + i * 1000 }),
      ),
    );
    const written = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(written).toHaveLength(1);
    expect(written[0]!.value).toMatchObject({ status: 'written', checkpoint: { seq: 1, messages: 50 } });
    expect(refused[0]!.reason).toMatchObject({ code: 'CONFLICT' });
    expect(await b.listCheckpoints(project.id)).toHaveLength(1);
    // Refused when it planned, not after writing files of its own.
    expect((await collect(blobs.list(''))).filter((key) => key.endsWith('manifest.json'))).toHaveLength(1);
    // Once it is recorded the lease is gone: the other replica finds nothing new, then writes what comes.
    expect(await createCheckpoint({ store: b, blobs, project }, { now })).toMatchObject({
      status: 'nothing_new',
    });
    await ingest(b, project.id, 'api', seed(3, 't'));
    expect(await createCheckpoint({ store: b, blobs, project }, { now })).toMatchObject({
      status: 'written',
      checkpoint: { seq: 2, messages: 3 },
    });
  });

  it('hold a project to the replica that planned its checkpoint; that replica may plan again', async () => {
    const { a, b, project } = await replicas();
    await ingest(a, project.id, 'api', seed(2));
    const plan = await a.planCheckpoint(project.id);
    await expect(b.planCheckpoint(project.id)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('Another process is writing a checkpoint'),
    });
    // A checkpoint that failed before it was recorded does not lock its own replica out.
    expect(await a.planCheckpoint(project.id)).toEqual(plan);
    // Another project is free.
    const other = await b.ensureProject('other');
    expect(await b.planCheckpoint(other.id)).toMatchObject({ newMessages: 0 });
  });

  it('end a plan’s range only where no writer still in flight can commit a smaller id', async () => {
    const { a, project, schema } = await replicas();
    await ingest(a, project.id, 'api', seed(1, 'first'));
    // A slow writer takes an id and holds its transaction open; a later one commits a larger id.
    const slow = new pg.Client({ connectionString: testDatabaseUrl, options: `-c search_path=${schema}` });
    await slow.connect();
    onTestFinished(() => slow.end());
    const [session] = await a.findSessions(project.id, 'first');
    await slow.query('BEGIN');
    const { rows } = await slow.query<{ id: string }>(
      `INSERT INTO messages (project_id, session_id, source, external_id, role, kind, text, blocks, seq, content_hash)
       VALUES ($1, $2, 'api', 'late-commit', 'user', 'message', 'committed late', '[]', 9, 'h') RETURNING id`,
      [project.id, session!.id],
    );
    await ingest(a, project.id, 'api', seed(1, 'second'));
    let committed = false;
    const commit = new Promise<void>((resolve) =>
      setTimeout(() => {
        committed = true;
        void slow.query('COMMIT').then(() => resolve());
      }, 300),
    );
    const archived = await a.planCheckpoint(project.id).then(async (plan) => {
      expect(committed).toBe(true);
      return (await collect(a.archivedMessages(plan))).map((m) => m.text);
    });
    await commit;
    const second = await a.findMessage(project.id, 'api', 'second-0');
    expect(Number(rows[0]!.id)).toBeLessThan(second!.id);
    expect(archived).toEqual(['first message 0', 'committed late', 'second message 0']);
  });
});
