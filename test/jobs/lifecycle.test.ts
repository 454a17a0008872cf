import { describe, expect, it } from 'vitest';
import { createCompletionHandler } from '../../src/jobs/complete-session.ts';
import { JobWorker } from '../../src/jobs/job-worker.ts';
import { defineStage } from '../../src/jobs/stage.ts';
import { enrichStage } from '../../src/jobs/stages/enrich.ts';
import { validateStage, validatedSessionSchema } from '../../src/jobs/stages/validate.ts';
import { injectable } from '../server/server-fixture.ts';
import { message } from '../server/server-fixture.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { conversation, onlyJob, send, sessionStatus, stop, type Fixture } from './pipeline-fixture.ts';

const tempDir = useTempDirs();

const transitionsOf = async (f: Fixture, id: string) =>
  (await f.agentlog.store.sessionTransitions(id)).map((t) => [t.from, t.to]);

describe('session lifecycle', () => {
  it('stops sessions idle past server.inactivitySeconds and queues their completion', async () => {
    const f = await injectable(tempDir(), { inactivitySeconds: 900 });
    try {
      const old = '2020-01-01T00:00:00Z';
      await send(f, [message('m1', 'fresh'), message('m2', 'backfilled', { timestamp: old })]);
      // Every session gets a full window after the monitor starts, however old its messages.
      expect(await f.jobs.monitor.sweep(Date.now())).toBe(0);
      const later = Date.now() + 901_000;
      expect(await f.jobs.monitor.sweep(later)).toBe(2);
      expect(await sessionStatus(f, 'fresh')).toBe('stopped');
      const [session] = await f.agentlog.store.listSessions({
        projectId: f.agentlog.project.id,
        source: 'api',
        text: 'm2',
      });
      const [transition] = await f.agentlog.store.sessionTransitions(session!.id);
      expect(transition?.reason).toBe(
        `inactive: no message for 900 s (last message 2020-01-01T00:00:00.000Z)`,
      );
      const jobs = await f.agentlog.jobs.list({});
      expect(jobs.map((j) => [j.priority, (j.payload as { trigger: string }).trigger])).toEqual([
        [0, 'inactivity'],
        [0, 'inactivity'],
      ]);
      expect(await f.jobs.monitor.sweep(later)).toBe(0);
      expect(await f.jobs.worker.drain()).toMatchObject({ done: 2 });
    } finally {
      await f.close();
    }
  });

  it('completes a session again after new messages reopened it, with a job of its own', async () => {
    const f = await injectable(tempDir());
    try {
      await send(f, [message('m1', 'chat'), message('m2', 'chat')]);
      const id = await stop(f, 'chat');
      expect(await f.jobs.worker.drain()).toMatchObject({ done: 1 });
      expect(await sessionStatus(f, 'chat')).toBe('completed');
      // The user came back to the conversation: it lives again, and ends again.
      await send(f, [message('m3', 'chat')]);
      expect(await sessionStatus(f, 'chat')).toBe('active');
      await stop(f, 'chat');
      expect(await f.jobs.worker.drain()).toMatchObject({ done: 1 });
      expect(await sessionStatus(f, 'chat')).toBe('completed');
      const jobs = await f.agentlog.jobs.list({});
      expect(jobs.map((j) => `${j.key} ${j.state}`).sort()).toEqual([`${id} done`, `${id}#2 done`]);
      expect((await transitionsOf(f, id)).map(([from, to]) => `${from}>${to}`)).toEqual([
        'active>stopped',
        'stopped>processing',
        'processing>completed',
        'completed>active',
        'active>stopped',
        'stopped>processing',
        'processing>completed',
      ]);
    } finally {
      await f.close();
    }
  });

  it('gives the job back at shutdown after the stage in flight, the session back to stopped', async () => {
    const f = await injectable(tempDir());
    try {
      await send(f, conversation('answered'));
      const id = await stop(f, 'done-1');
      const job = await f.agentlog.jobs.claim({
        worker: 'w',
        now: Date.now(),
        leaseMs: 60_000,
        kinds: ['session.complete'],
      });
      const handler = createCompletionHandler({ store: f.agentlog.store, settings: f.agentlog.config.jobs });
      let renewed = 0;
      const outcome = await handler.run(job!, {
        attempt: 1,
        maxAttempts: 5,
        shouldStop: () => true,
        renewLease: async () => {
          renewed++;
        },
      });
      expect(outcome).toEqual({ status: 'released' });
      expect(renewed).toBe(1);
      expect(await f.agentlog.jobs.release(job!.id, 'w', Date.now())).toMatchObject({
        state: 'queued',
        attempts: 0,
      });
      const transitions = await f.agentlog.store.sessionTransitions(id);
      expect(transitions.at(-1)).toMatchObject({
        from: 'processing',
        to: 'stopped',
        reason: 'completion interrupted before enrich (the worker stopped); it runs again from the start',
      });
      expect(await f.jobs.worker.drain()).toMatchObject({ done: 1 });
      expect(await transitionsOf(f, id)).toEqual([
        ['active', 'stopped'],
        ['stopped', 'processing'],
        ['processing', 'stopped'],
        ['stopped', 'processing'],
        ['processing', 'completed'],
      ]);
    } finally {
      await f.close();
    }
  });

  it('fails the session of a job whose worker died during its last attempt', async () => {
    const f = await injectable(tempDir(), {}, { maxAttempts: 1 });
    try {
      await send(f, conversation('answered'));
      const id = await stop(f, 'done-1');
      // A worker claims it, moves the session to processing and dies: its lease has ended, unsettled.
      const now = Date.now();
      await f.agentlog.jobs.claim({
        worker: 'dead',
        now: (await onlyJob(f)).runAt,
        leaseMs: 0,
        kinds: ['session.complete'],
      });
      await f.agentlog.store.transitionSession({
        sessionId: id,
        from: ['stopped'],
        to: 'processing',
        reason: 'x',
        at: now,
      });
      expect(await f.jobs.worker.drain()).toMatchObject({ processed: 1, dead: 1 });
      expect(await sessionStatus(f, 'done-1')).toBe('failed');
      const job = await onlyJob(f);
      expect(job).toMatchObject({
        state: 'dead',
        attempts: 2,
        lastError: expect.stringContaining('its worker stopped'),
      });
      expect((await f.agentlog.store.sessionTransitions(id)).at(-1)?.reason).toMatch(
        /^completion abandoned: /,
      );
    } finally {
      await f.close();
    }
  });

  it('retries a stage that throws with backoff, the session failed in between, then completes it', async () => {
    const f = await injectable(tempDir());
    try {
      await send(f, conversation('answered'));
      const id = await stop(f, 'done-1');
      let calls = 0;
      // A stage whose dependency is down the first time (an error, not bad data).
      const flaky = defineStage({
        name: 'flaky',
        input: validatedSessionSchema,
        output: validatedSessionSchema,
        run: async (input) => {
          if (++calls === 1) throw new Error('the archive store did not answer');
          return { ok: true, output: input, summary: 'ok on the second try' };
        },
      });
      const handler = createCompletionHandler({
        store: f.agentlog.store,
        settings: f.agentlog.config.jobs,
        stages: [validateStage, flaky],
      });
      const worker = new JobWorker(f.agentlog.jobs, [handler], { pollMs: 1000, leaseMs: 60_000 });
      const before = Date.now();
      expect(await worker.drain()).toMatchObject({ processed: 1, retrying: 1 });
      const waiting = await onlyJob(f);
      expect(waiting).toMatchObject({
        state: 'queued',
        attempts: 1,
        lastError: 'flaky: the archive store did not answer',
      });
      expect(waiting.runAt).toBeGreaterThanOrEqual(before + 5000);
      expect(await sessionStatus(f, 'done-1')).toBe('failed');
      expect((await f.agentlog.store.sessionTransitions(id)).at(-1)?.reason).toBe(
        'flaky failed: the archive store did not answer (attempt 1 of 5; it is retried)',
      );
      // Not ready until its backoff has passed; `jobs retry` makes it ready now.
      expect(await worker.drain()).toMatchObject({ processed: 0 });
      await f.agentlog.jobs.retry(waiting.id, Date.now());
      expect(await worker.drain()).toMatchObject({ processed: 1, done: 1 });
      expect(await transitionsOf(f, id)).toEqual([
        ['active', 'stopped'],
        ['stopped', 'processing'],
        ['processing', 'failed'],
        ['failed', 'processing'],
        ['processing', 'completed'],
      ]);
    } finally {
      await f.close();
    }
  });

  it('stops a running worker after the stage in flight: the job is given back, not counted', async () => {
    const f = await injectable(tempDir());
    try {
      await send(f, conversation('answered'));
      const id = await stop(f, 'done-1');
      let entered!: () => void;
      const inStage = new Promise<void>((resolve) => (entered = resolve));
      let finish!: () => void;
      const gate = new Promise<void>((resolve) => (finish = resolve));
      // A stage that takes as long as the test wants.
      const slow = defineStage({
        name: 'slow',
        input: validatedSessionSchema,
        output: validatedSessionSchema,
        run: async (input) => {
          entered();
          await gate;
          return { ok: true, output: input, summary: 'done at last' };
        },
      });
      const handler = createCompletionHandler({
        store: f.agentlog.store,
        settings: f.agentlog.config.jobs,
        stages: [validateStage, slow, enrichStage],
      });
      const worker = new JobWorker(f.agentlog.jobs, [handler], { pollMs: 1000, leaseMs: 60_000 });
      worker.start();
      await inStage;
      const stopped = worker.stop();
      finish();
      await stopped;
      expect(await onlyJob(f)).toMatchObject({ state: 'queued', attempts: 0, lockedBy: null });
      expect(await sessionStatus(f, 'done-1')).toBe('stopped');
      expect((await f.agentlog.store.sessionTransitions(id)).at(-1)?.reason).toBe(
        'completion interrupted before enrich (the worker stopped); it runs again from the start',
      );
    } finally {
      await f.close();
    }
  });
});
