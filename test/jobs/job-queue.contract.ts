import { describe, expect, it } from 'vitest';
import type { JobQueue, NewJob } from '../../src/storage/ports.ts';

/** A queue over a fresh, empty store, and how to let go of it. */
export type OpenQueue = () => Promise<{ queue: JobQueue; close(): Promise<void> }>;

const t0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z: every time here is explicit, no clock is read
const kinds = ['test.a', 'test.b'];

const job = (key: string, extra: Partial<NewJob> = {}): NewJob => ({
  kind: 'test.a',
  key,
  payload: { key },
  now: t0,
  ...extra,
});

/**
 * The JobQueue contract: every adapter (SQLite now, Postgres later) runs this suite unchanged.
 * Time is passed in, so leases and backoff are checked exactly, without waiting.
 */
export function jobQueueContract(adapter: string, open: OpenQueue): void {
  const withQueue = (run: (queue: JobQueue) => Promise<void>) => async () => {
    const { queue, close } = await open();
    try {
      await run(queue);
    } finally {
      await close();
    }
  };

  describe(`JobQueue contract: ${adapter}`, () => {
    it(
      'enqueues a job with defaults; the same kind and key again returns it and adds nothing',
      withQueue(async (queue) => {
        const first = await queue.enqueue(
          job('s1', { payload: { sessionId: 's1', nested: [1, { a: null }] } }),
        );
        expect(first.created).toBe(true);
        expect(first.job).toMatchObject({
          kind: 'test.a',
          key: 's1',
          payload: { sessionId: 's1', nested: [1, { a: null }] },
          state: 'queued',
          priority: 0,
          attempts: 0,
          maxAttempts: 5,
          runAt: t0,
          lockedBy: null,
          lastError: null,
          result: null,
          createdAt: t0,
          finishedAt: null,
        });
        const again = await queue.enqueue(job('s1', { payload: { other: true }, priority: 9, now: t0 + 5 }));
        expect(again).toEqual({ created: false, job: first.job });
        const otherKind = await queue.enqueue(job('s1', { kind: 'test.b' }));
        expect(otherKind.created).toBe(true);
        expect(otherKind.job.id).not.toBe(first.job.id);
        expect(await queue.countByState()).toEqual({ queued: 2, running: 0, done: 0, dead: 0 });
        expect(await queue.get(first.job.id)).toEqual(first.job);
        expect(await queue.get(999_999)).toBeNull();
      }),
    );

    it(
      'claims the highest priority first, then the oldest; only ready jobs of the asked kinds',
      withQueue(async (queue) => {
        const low = (await queue.enqueue(job('low'))).job;
        const high = (await queue.enqueue(job('high', { priority: 5 }))).job;
        const lowToo = (await queue.enqueue(job('low-too'))).job;
        const later = (await queue.enqueue(job('later', { priority: 9, runAt: t0 + 60_000 }))).job;
        const otherKind = (await queue.enqueue(job('b', { kind: 'test.b', priority: 9 }))).job;
        const claim = (now = t0) => queue.claim({ worker: 'w1', now, leaseMs: 1000, kinds: ['test.a'] });
        const first = await claim();
        expect(first).toMatchObject({
          id: high.id,
          state: 'running',
          attempts: 1,
          lockedBy: 'w1',
          runAt: t0 + 1000,
        });
        expect((await claim())?.id).toBe(low.id);
        expect((await claim())?.id).toBe(lowToo.id);
        expect(await claim()).toBeNull();
        expect((await claim(t0 + 60_000))?.id).toBe(later.id);
        expect(await queue.claim({ worker: 'w1', now: t0, leaseMs: 1000, kinds: [] })).toBeNull();
        expect((await queue.claim({ worker: 'w1', now: t0, leaseMs: 1000, kinds }))?.id).toBe(otherKind.id);
      }),
    );

    it(
      'hands each ready job to one claimer, even when claims race',
      withQueue(async (queue) => {
        for (let i = 0; i < 6; i++) await queue.enqueue(job(`k${i}`));
        const claims = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            queue.claim({ worker: `w${i}`, now: t0, leaseMs: 1000, kinds }),
          ),
        );
        const ids = claims.filter((c) => c !== null).map((c) => c.id);
        expect(ids).toHaveLength(6);
        expect(new Set(ids).size).toBe(6);
      }),
    );

    it(
      'completes a job it holds, with its result; another worker cannot',
      withQueue(async (queue) => {
        const { id } = (await queue.enqueue(job('c'))).job;
        await queue.claim({ worker: 'w1', now: t0, leaseMs: 1000, kinds });
        expect(await queue.complete(id, 'w2', { now: t0 + 1 })).toBeNull();
        const done = await queue.complete(id, 'w1', { now: t0 + 2, result: { stages: ['validate'] } });
        expect(done).toMatchObject({
          state: 'done',
          lockedBy: null,
          result: { stages: ['validate'] },
          finishedAt: t0 + 2,
          attempts: 1,
        });
        expect(await queue.complete(id, 'w1', { now: t0 + 3 })).toBeNull();
        expect(await queue.claim({ worker: 'w1', now: t0 + 10_000, leaseMs: 1000, kinds })).toBeNull();
      }),
    );

    it(
      'retries a failed job after an exponential backoff, then keeps it dead with its last error',
      withQueue(async (queue) => {
        const { id } = (await queue.enqueue(job('f', { maxAttempts: 3, backoffMs: 1000 }))).job;
        const claim = (now: number) => queue.claim({ worker: 'w1', now, leaseMs: 500, kinds });
        await claim(t0);
        const first = await queue.fail(id, 'w1', { now: t0 + 10, error: 'store busy' });
        expect(first).toMatchObject({
          state: 'queued',
          attempts: 1,
          runAt: t0 + 10 + 1000,
          lastError: 'store busy',
        });
        expect(await claim(t0 + 1009)).toBeNull();
        expect((await claim(t0 + 1010))?.attempts).toBe(2);
        const second = await queue.fail(id, 'w1', { now: t0 + 2000, error: 'still busy' });
        expect(second).toMatchObject({ state: 'queued', runAt: t0 + 2000 + 2000 });
        await claim(t0 + 4000);
        const dead = await queue.fail(id, 'w1', { now: t0 + 4100, error: 'gave up', result: { step: 3 } });
        expect(dead).toMatchObject({
          state: 'dead',
          attempts: 3,
          lastError: 'gave up',
          result: { step: 3 },
          finishedAt: t0 + 4100,
          lockedBy: null,
        });
        expect(await claim(t0 + 1_000_000)).toBeNull();
        expect(await queue.countByState()).toEqual({ queued: 0, running: 0, done: 0, dead: 1 });
      }),
    );

    it(
      'sends a permanent failure to dead at once; a failure by a worker not holding the job changes nothing',
      withQueue(async (queue) => {
        const { id } = (await queue.enqueue(job('p'))).job;
        await queue.claim({ worker: 'w1', now: t0, leaseMs: 1000, kinds });
        expect(await queue.fail(id, 'w2', { now: t0, error: 'not mine' })).toBeNull();
        const dead = await queue.fail(id, 'w1', { now: t0 + 1, error: 'bad data', permanent: true });
        expect(dead).toMatchObject({ state: 'dead', attempts: 1, lastError: 'bad data' });
      }),
    );

    it(
      'retries a dead job with fresh attempts, keeping its last error until it runs; refuses running and done jobs',
      withQueue(async (queue) => {
        const { id } = (await queue.enqueue(job('r', { maxAttempts: 1 }))).job;
        await queue.claim({ worker: 'w1', now: t0, leaseMs: 1000, kinds });
        expect(await queue.retry(id, t0)).toMatchObject({
          status: 'not_retryable',
          job: { state: 'running' },
        });
        await queue.fail(id, 'w1', { now: t0 + 1, error: 'boom' });
        const retried = await queue.retry(id, t0 + 50);
        expect(retried).toEqual({
          status: 'retried',
          job: expect.objectContaining({
            state: 'queued',
            attempts: 0,
            runAt: t0 + 50,
            lastError: 'boom',
            finishedAt: null,
          }),
        });
        const again = await queue.claim({ worker: 'w2', now: t0 + 50, leaseMs: 1000, kinds });
        expect(again).toMatchObject({ id, attempts: 1, lockedBy: 'w2' });
        await queue.complete(id, 'w2', { now: t0 + 60 });
        expect(await queue.retry(id, t0 + 70)).toMatchObject({
          status: 'not_retryable',
          job: { state: 'done' },
        });
        expect(await queue.retry(123_456, t0)).toEqual({ status: 'not_found' });
      }),
    );

    it(
      'makes a job waiting out its backoff ready now when retried',
      withQueue(async (queue) => {
        const { id } = (await queue.enqueue(job('w', { backoffMs: 60_000 }))).job;
        await queue.claim({ worker: 'w1', now: t0, leaseMs: 1000, kinds });
        await queue.fail(id, 'w1', { now: t0, error: 'later' });
        expect(await queue.claim({ worker: 'w1', now: t0 + 1, leaseMs: 1000, kinds })).toBeNull();
        expect(await queue.retry(id, t0 + 1)).toMatchObject({
          status: 'retried',
          job: { attempts: 1, runAt: t0 + 1 },
        });
        expect(await queue.claim({ worker: 'w1', now: t0 + 1, leaseMs: 1000, kinds })).toMatchObject({
          id,
          attempts: 2,
        });
      }),
    );

    it(
      'gives a job whose lease ended to another worker, and the first one can no longer settle it',
      withQueue(async (queue) => {
        const { id } = (await queue.enqueue(job('l'))).job;
        await queue.claim({ worker: 'w1', now: t0, leaseMs: 1000, kinds });
        expect(await queue.claim({ worker: 'w2', now: t0 + 999, leaseMs: 1000, kinds })).toBeNull();
        const taken = await queue.claim({ worker: 'w2', now: t0 + 1000, leaseMs: 1000, kinds });
        expect(taken).toMatchObject({ id, attempts: 2, lockedBy: 'w2', runAt: t0 + 2000 });
        expect(await queue.complete(id, 'w1', { now: t0 + 1001 })).toBeNull();
        expect(await queue.fail(id, 'w1', { now: t0 + 1001, error: 'late' })).toBeNull();
        expect(await queue.release(id, 'w1', t0 + 1001)).toBeNull();
        expect(await queue.extendLease(id, 'w1', t0 + 1001, 1000)).toBe(false);
        expect(await queue.complete(id, 'w2', { now: t0 + 1002 })).toMatchObject({ state: 'done' });
      }),
    );

    it(
      'extends the lease of a job its worker holds',
      withQueue(async (queue) => {
        const { id } = (await queue.enqueue(job('e'))).job;
        await queue.claim({ worker: 'w1', now: t0, leaseMs: 1000, kinds });
        expect(await queue.extendLease(id, 'w1', t0 + 900, 1000)).toBe(true);
        expect(await queue.claim({ worker: 'w2', now: t0 + 1500, leaseMs: 1000, kinds })).toBeNull();
        expect((await queue.get(id))?.runAt).toBe(t0 + 1900);
      }),
    );

    it(
      'takes a released job back without counting the attempt',
      withQueue(async (queue) => {
        const { id } = (await queue.enqueue(job('g'))).job;
        await queue.claim({ worker: 'w1', now: t0, leaseMs: 1000, kinds });
        const released = await queue.release(id, 'w1', t0 + 5);
        expect(released).toMatchObject({ state: 'queued', attempts: 0, lockedBy: null, runAt: t0 + 5 });
        expect(await queue.claim({ worker: 'w2', now: t0 + 5, leaseMs: 1000, kinds })).toMatchObject({
          id,
          attempts: 1,
        });
      }),
    );

    it(
      'lists newest first, by state and kind, with a limit; counts every state',
      withQueue(async (queue) => {
        const a = (await queue.enqueue(job('a'))).job;
        const b = (await queue.enqueue(job('b', { kind: 'test.b' }))).job;
        const c = (await queue.enqueue(job('c'))).job;
        await queue.claim({ worker: 'w1', now: t0, leaseMs: 1000, kinds: ['test.b'] });
        const ids = async (query: Parameters<JobQueue['list']>[0]) =>
          (await queue.list(query)).map((j) => j.id);
        expect(await ids({})).toEqual([c.id, b.id, a.id]);
        expect(await ids({ state: 'queued' })).toEqual([c.id, a.id]);
        expect(await ids({ state: 'running' })).toEqual([b.id]);
        expect(await ids({ kind: 'test.a', limit: 1 })).toEqual([c.id]);
        expect(await ids({ state: 'dead' })).toEqual([]);
        expect(await queue.countByState()).toEqual({ queued: 2, running: 1, done: 0, dead: 0 });
      }),
    );
  });
}
