import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiMessageRecord, apiSessionStartRecord, apiSource } from '../../src/ingest/api-messages.ts';
import { GroupCommitter, type CommitItem, type CommitStats } from '../../src/ingest/group-commit.ts';
import { PreparePool } from '../../src/ingest/prepare-pool.ts';
import { prepareItem } from '../../src/ingest/prepared-item.ts';
import { decompressRaw, rawHash } from '../../src/ingest/raw-codec.ts';
import { IngestPipeline } from '../../src/enrich/ingest-pipeline.ts';
import type { Store } from '../../src/storage/ports.ts';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const stores: Store[] = [];
const committers: GroupCommitter[] = [];
afterEach(async () => {
  for (const committer of committers.splice(0)) await committer.close();
  for (const store of stores.splice(0)) await store.close();
});

/** Every behaviour holds whether records are prepared in the write or on a prepare worker. */
const modes = [
  { mode: 'prepared in the write', workers: 0 },
  { mode: 'prepared on a worker', workers: 1 },
];
let workers = 0;

async function setup(limits: Partial<ConstructorParameters<typeof GroupCommitter>[1]> = {}) {
  const store = new SqliteStore(join(tempDir(), 'agentlog.db'));
  stores.push(store);
  const project = await store.ensureProject('default');
  const committer = new GroupCommitter(
    store,
    { maxQueuedItems: 1000, maxQueuedBytes: 1 << 20, maxItemsPerCommit: 1000, ...limits },
    undefined,
    workers > 0 ? new PreparePool(workers) : undefined,
  );
  committers.push(committer);
  const commits: CommitStats[] = [];
  committer.observe({ onCommit: (stats) => commits.push(stats) });
  return { store, committer, commits, target: { projectId: project.id, source: apiSource } };
}

function item(id: string, session = 's1'): CommitItem {
  const message = { id, session, role: 'user' as const, content: `hello ${id}` };
  return { record: apiMessageRecord(message, 1000, 0), raw: Buffer.from(JSON.stringify(message)) };
}

function queued(result: ReturnType<GroupCommitter['submit']>) {
  if (!result.queued) throw new Error(`refused: ${result.reason}`);
  return result.committed;
}

describe.each(modes)('GroupCommitter, $mode', (mode) => {
  beforeEach(() => {
    workers = mode.workers;
  });

  it('commits the requests queued together in one transaction and answers each with its own outcomes', async () => {
    const { store, committer, commits, target } = await setup();
    const pending = Array.from({ length: 20 }, (_, i) =>
      queued(committer.submit(target, [item(`m${i}`), item(`n${i}`)])),
    );
    const outcomes = await Promise.all(pending);
    expect(outcomes).toEqual(Array.from({ length: 20 }, () => ['new', 'new']));
    expect(commits).toEqual([expect.objectContaining({ items: 40, messages: 40, requests: 20 })]);
    expect((await store.counts(target.projectId)).messages).toBe(40);
  });

  it('reports a message already stored, or repeated in the same commit, as a duplicate', async () => {
    const { committer, target } = await setup();
    await queued(committer.submit(target, [item('a')]));
    const [again, twice] = await Promise.all([
      queued(committer.submit(target, [item('a'), item('b')])),
      queued(committer.submit(target, [item('b')])),
    ]);
    expect(again).toEqual(['duplicate', 'new']);
    expect(twice).toEqual(['duplicate']);
  });

  it('answers null for a record without a message and creates API sessions active', async () => {
    const { store, committer, target } = await setup();
    const outcome = await queued(
      committer.submit(target, [{ record: apiSessionStartRecord('s9', { title: 'T' }), raw: null }]),
    );
    expect(outcome).toEqual([null]);
    const [session] = await store.listSessions({ projectId: target.projectId });
    expect(session).toMatchObject({ externalId: 's9', status: 'active', title: 'T' });
  });

  it('splits a large queue into commits of at most maxItemsPerCommit', async () => {
    const { committer, commits, target } = await setup({ maxItemsPerCommit: 4 });
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => queued(committer.submit(target, [item(`a${i}`), item(`b${i}`)]))),
    );
    expect(commits.map((c) => c.items)).toEqual([4, 4, 2]);
  });

  it('refuses work beyond the queue limits, but an empty queue takes any one request', async () => {
    const { committer, target } = await setup({ maxQueuedItems: 3 });
    const big = queued(committer.submit(target, [item('a'), item('b'), item('c'), item('d')]));
    expect(committer.depth.items).toBe(4);
    expect(committer.submit(target, [item('e')])).toMatchObject({ queued: false, reason: 'full' });
    expect(await big).toHaveLength(4);
    expect(committer.depth).toEqual({ items: 0, bytes: 0 });
    expect(await queued(committer.submit(target, [item('e')]))).toEqual(['new']);
  });

  it('refuses by bytes as well as by count', async () => {
    const { committer, target } = await setup({ maxQueuedBytes: 100 });
    const first = queued(committer.submit(target, [item('a'), item('b')]));
    expect(committer.submit(target, [item('c')])).toMatchObject({ queued: false, reason: 'full' });
    await first;
  });

  it('close commits what is queued (cutting a commit delay short) and refuses new work', async () => {
    const { store, committer, target } = await setup({ commitDelayMs: 60_000 });
    const pending = queued(committer.submit(target, [item('a')]));
    const closed = committer.close();
    expect(committer.submit(target, [item('b')])).toMatchObject({ queued: false, reason: 'closed' });
    await closed;
    expect(await pending).toEqual(['new']);
    expect((await store.counts(target.projectId)).messages).toBe(1);
  });

  it('fails only the request whose records cannot be written; the others of its commit are stored', async () => {
    const { store, committer, target } = await setup();
    const errors: unknown[] = [];
    committer.observe({ onError: (error) => errors.push(error) });
    const bad = item('bad');
    // A value JSON cannot hold makes the write of this one record throw inside the transaction.
    bad.record.message!.meta = { size: 1n };
    const results = await Promise.allSettled([
      queued(committer.submit(target, [item('a')])),
      queued(committer.submit(target, [bad, item('b')])),
      queued(committer.submit(target, [item('c')])),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(errors).toHaveLength(1);
    expect((await store.counts(target.projectId)).messages).toBe(2);
    expect(committer.depth).toEqual({ items: 0, bytes: 0 });
  });

  it('keeps projects apart: each message lands in the project it was sent for', async () => {
    const { store, committer, target } = await setup();
    const other = await store.ensureProject('other');
    await Promise.all([
      queued(committer.submit(target, [item('a')])),
      queued(committer.submit({ projectId: other.id, source: apiSource }, [item('a')])),
    ]);
    expect((await store.counts(target.projectId)).messages).toBe(1);
    expect((await store.counts(other.id)).messages).toBe(1);
  });
});

describe('GroupCommitter with a prepare pool', () => {
  beforeEach(() => {
    workers = 1;
  });

  it('names the tool of a failed result sent in a later request (the worker keeps the pipeline state)', async () => {
    const { store, committer, target } = await setup();
    const call = {
      id: 'call',
      session: 's1',
      role: 'assistant' as const,
      content: [{ type: 'tool_use' as const, id: 't1', name: 'Bash', input: { command: 'ls' } }],
    };
    const result = {
      id: 'result',
      session: 's1',
      role: 'user' as const,
      content: [{ type: 'tool_result' as const, toolUseId: 't1', content: 'no such file', isError: true }],
    };
    const record = (message: typeof call | typeof result, seq: number): CommitItem => ({
      record: apiMessageRecord(message, 1000, seq),
      raw: Buffer.from(JSON.stringify(message)),
    });
    await queued(committer.submit(target, [record(call, 0)]));
    await queued(committer.submit(target, [record(result, 1)]));
    const failed = await store.facetCounts({ projectId: target.projectId, facet: 'tool_error' });
    expect(failed).toEqual([expect.objectContaining({ label: 'Bash', messages: 1 })]);
  });

  it('stores records redacted on the worker, and their raw bytes redacted the same way', async () => {
    const { store, committer, target } = await setup();
    const secret = 'AKIAIOSFODNN7EXAMPLE';
    const message = { id: 'k', session: 's1', role: 'user' as const, content: `my key is ${secret}` };
    const raw = Buffer.from(JSON.stringify(message));
    await queued(committer.submit(target, [{ record: apiMessageRecord(message, 1000, 0), raw }]));
    const stored = await store.findMessage(target.projectId, apiSource, 'k');
    expect(stored?.text).toContain('my key is');
    expect(stored?.text).not.toContain(secret);
    // The same raw row as preparing on this thread makes: same redacted bytes, same hash.
    const inline = prepareItem(new IngestPipeline(), apiMessageRecord(message, 1000, 0), raw);
    const bytes = await store.rawRecord(target.projectId, apiSource, inline.raw!.hash);
    expect(decompressRaw(bytes!).toString()).toContain('my key is');
    expect(decompressRaw(bytes!).toString()).not.toContain(secret);
  });

  it('stores records with nothing to redact as they came, small and large raw bytes alike', async () => {
    const { store, committer, target } = await setup();
    const small = { id: 'small', session: 's1', role: 'user' as const, content: 'hello' };
    const large = { id: 'large', session: 's1', role: 'user' as const, content: 'lorem ipsum '.repeat(200) };
    const items = [small, large].map((message, seq) => ({
      record: apiMessageRecord(message, 1000, seq),
      raw: Buffer.from(JSON.stringify(message)),
    }));
    expect(await queued(committer.submit(target, items))).toEqual(['new', 'new']);
    for (const { record, raw } of items) {
      const stored = await store.findMessage(target.projectId, apiSource, record.message!.externalId);
      expect(stored?.text).toBe(record.message!.text);
      const bytes = await store.rawRecord(target.projectId, apiSource, rawHash(raw));
      expect(decompressRaw(bytes!).toString()).toBe(raw.toString());
    }
  });
});
