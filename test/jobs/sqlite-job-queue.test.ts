import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { jobQueueContract } from './job-queue.contract.ts';

const tempDir = useTempDirs();

jobQueueContract('SQLite', async () => {
  const store = new SqliteStore(join(tempDir(), 'agentlog.db'));
  return { queue: store.jobQueue, close: () => store.close() };
});

describe('SQLite job queue', () => {
  it('keeps its jobs, leases included, across a reopen of the store', async () => {
    const path = join(tempDir(), 'agentlog.db');
    const first = new SqliteStore(path);
    const held = (await first.jobQueue.enqueue({ kind: 'k', key: 'one', payload: { n: 1 }, now: 1000 })).job;
    const waiting = (await first.jobQueue.enqueue({ kind: 'k', key: 'two', payload: { n: 2 }, now: 1000 }))
      .job;
    await first.jobQueue.claim({ worker: 'gone', now: 1000, leaseMs: 500, kinds: ['k'] });
    await first.close();

    const second = new SqliteStore(path);
    try {
      expect(await second.jobQueue.countByState()).toEqual({ queued: 1, running: 1, done: 0, dead: 0 });
      const claim = () => second.jobQueue.claim({ worker: 'new', now: 1500, leaseMs: 500, kinds: ['k'] });
      expect(await claim()).toMatchObject({ id: waiting.id, attempts: 1, payload: { n: 2 } });
      // Its worker died with the process: once the lease ends, the job is claimed again.
      expect(await claim()).toMatchObject({ id: held.id, attempts: 2, lockedBy: 'new', payload: { n: 1 } });
    } finally {
      await second.close();
    }
  });
});
