import { describe, expect, it } from 'vitest';
import { createJobRuntime } from '../../src/jobs/job-runtime.ts';
import { passThroughSummary } from '../../src/jobs/stage.ts';
import { bearer, injectable, listening } from '../server/server-fixture.ts';
import { WsClient, wsUrl } from '../server/ws-client.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { conversation, onlyJob, send, sessionStatus, stop } from './pipeline-fixture.ts';
import { eventually } from './serve-process.ts';

const tempDir = useTempDirs();

describe('session completion through the server', () => {
  it('completes a session stopped over HTTP, storing every transition and each stage’s result', async () => {
    const f = await injectable(tempDir());
    try {
      await send(f, conversation('answered'));
      const id = await stop(f, 'done-1', 'tab closed');
      const queued = await onlyJob(f);
      expect(queued).toMatchObject({
        kind: 'session.complete',
        key: id,
        state: 'queued',
        priority: 1,
        payload: { sessionId: id, projectId: f.agentlog.project.id, trigger: 'client' },
      });
      // Stopping again queues nothing more.
      await stop(f, 'done-1');
      expect(await f.agentlog.jobs.list({})).toHaveLength(1);

      expect(await f.jobs.worker.drain()).toMatchObject({ processed: 1, done: 1 });
      expect(await sessionStatus(f, 'done-1')).toBe('completed');
      const transitions = await f.agentlog.store.sessionTransitions(id);
      expect(transitions.map((t) => [t.from, t.to, t.reason])).toEqual([
        ['active', 'stopped', 'tab closed'],
        ['stopped', 'processing', `completion job ${queued.id}, attempt 1 of 5`],
        [
          'processing',
          'completed',
          'completed: validate, enrich, quality, training-examples, archive (pass-through)',
        ],
      ]);
      expect(transitions.every((t, i) => i === 0 || t.at >= transitions[i - 1]!.at)).toBe(true);

      const job = await f.agentlog.jobs.get(queued.id);
      expect(job).toMatchObject({ state: 'done', attempts: 1, lastError: null });
      const stages = (job?.result as { stages: { stage: string; status: string; summary: string }[] }).stages;
      expect(stages.map((s) => [s.stage, s.status])).toEqual([
        ['validate', 'ok'],
        ['enrich', 'ok'],
        ['quality', 'ok'],
        ['training-examples', 'ok'],
        ['archive', 'pass-through'],
      ]);
      expect(stages[0]!.summary).toBe(
        '4 messages (1 user, 2 assistant, 1 tool); 1 tool calls, 1 results, all answered',
      );
      expect(stages[1]!.summary).toBe('4 messages: exact tokens, keywords');
      expect(stages[2]!.summary).toBe('quality 0.8733 (weakest: length 0.1556)');
      expect(stages[3]!.summary).toBe('1 examples (conversation), 1 at quality ≥ 0.5');
      expect(stages[4]!.summary).toBe(passThroughSummary);

      const admin = await f.newKey('default', ['admin']);
      const metrics = (await f.app.inject({ method: 'GET', url: '/metrics', headers: bearer(admin) })).body;
      expect(metrics).toContain('agentlog_jobs{state="done"} 1\n');
      expect(metrics).toContain('agentlog_jobs{state="dead"} 0\n');
    } finally {
      await f.close();
    }
  });

  it('marks a session whose tool call is never answered failed at validate, and retry completes it once allowed', async () => {
    const f = await injectable(tempDir());
    try {
      await send(f, conversation('unanswered'));
      const id = await stop(f, 'cut-off');
      expect(await f.jobs.worker.drain()).toMatchObject({ processed: 1, dead: 1 });
      expect(await sessionStatus(f, 'cut-off')).toBe('failed');
      const job = await onlyJob(f);
      const error = '1 tool call(s) never answered: toolu_test (Bash)';
      // Retrying cannot change the data: the job is dead after one attempt, its error kept.
      expect(job).toMatchObject({
        state: 'dead',
        attempts: 1,
        lastError: expect.stringContaining(`validate: ${error}`),
      });
      expect(job.result).toMatchObject({
        failedStage: 'validate',
        stages: [{ stage: 'validate', status: 'rejected', details: { validation: { unansweredCount: 1 } } }],
      });
      const failed = (await f.agentlog.store.sessionTransitions(id)).at(-1);
      expect(failed).toMatchObject({
        from: 'processing',
        to: 'failed',
        reason: expect.stringContaining(`validate failed: ${error}`),
      });
      expect(failed?.reason).toContain(`agentlog jobs retry ${job.id}`);

      // With the rule relaxed, the same job retried completes the session.
      const relaxed = createJobRuntime({
        ...f.agentlog,
        config: { ...f.agentlog.config, jobs: { ...f.agentlog.config.jobs, unansweredToolCalls: 'warn' } },
      });
      expect(await f.agentlog.jobs.retry(job.id, Date.now())).toMatchObject({ status: 'retried' });
      expect(await relaxed.worker.drain()).toMatchObject({ done: 1 });
      expect(await sessionStatus(f, 'cut-off')).toBe('completed');
      const after = await f.agentlog.jobs.get(job.id);
      const validated = (after?.result as { stages: { stage: string; status: string; summary: string }[] })
        .stages[0];
      expect(validated).toMatchObject({
        stage: 'validate',
        status: 'ok',
        summary: expect.stringContaining('1 unanswered'),
      });
      expect((await f.agentlog.store.sessionTransitions(id)).slice(-2).map((t) => [t.from, t.to])).toEqual([
        ['failed', 'processing'],
        ['processing', 'completed'],
      ]);
    } finally {
      await f.close();
    }
  });

  it('fails a stopped session without messages at validate', async () => {
    const f = await injectable(tempDir());
    try {
      const store = f.agentlog.store;
      await store.write({
        projectId: f.agentlog.project.id,
        sessions: [{ source: 'api', externalId: 'empty', status: 'active' }],
        raw: [],
        messages: [],
        usage: [],
        blobs: [],
        fileStates: [],
      });
      await stop(f, 'empty');
      await f.jobs.worker.drain();
      expect(await onlyJob(f)).toMatchObject({
        state: 'dead',
        lastError: 'validate: the session has no messages',
      });
      expect(await sessionStatus(f, 'empty')).toBe('failed');
    } finally {
      await f.close();
    }
  });
});

describe('the worker inside a listening server', () => {
  it('completes a session stopped with a WebSocket session_stop frame', async () => {
    const f = await listening(tempDir(), {}, { workInServer: true });
    try {
      const client = await WsClient.open(wsUrl(f.server.url), bearer(f.key));
      for (const [i, m] of conversation('answered').entries())
        client.send({ type: 'message', ref: `m${i}`, message: m });
      await client.take(4);
      client.send({ type: 'session_stop', ref: 'stop', session: 'done-1' });
      expect(await client.next()).toMatchObject({ ref: 'stop', status: 'accepted' });
      await client.close();
      const { store, project } = f.agentlog;
      await eventually(
        async () => (await store.listSessions({ projectId: project.id }))[0]?.status === 'completed',
      );
      const [session] = await store.listSessions({ projectId: project.id });
      expect((await store.sessionTransitions(session!.id)).map((t) => t.to)).toEqual([
        'stopped',
        'processing',
        'completed',
      ]);
    } finally {
      await f.close();
    }
  });
});
