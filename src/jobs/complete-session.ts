import type { Job } from '../domain/job.ts';
import type { SessionStatus } from '../domain/session.ts';
import type { Store } from '../storage/ports.ts';
import { completionStages, runPipeline, type PipelineOutcome } from './completion-pipeline.ts';
import type { JobControl, JobHandler, JobOutcome } from './job-handler.ts';
import { jobPayloadSchemas, type JobPayload } from './job-payloads.ts';
import type { PipelineStage, StageSettings } from './stage.ts';

type Payload = JobPayload<'session.complete'>;

/** Statuses a completion may start from: stopped, a failed earlier attempt, or one cut short by a crash. */
const startable: readonly SessionStatus[] = ['stopped', 'failed', 'processing'];

function stageList(outcome: PipelineOutcome): string {
  return outcome.stages
    .map((s) => (s.status === 'pass-through' ? `${s.stage} (pass-through)` : s.stage))
    .join(', ');
}

function retryNote(job: Job, control: JobControl, permanent: boolean): string {
  if (!permanent && control.attempt < control.maxAttempts)
    return `attempt ${control.attempt} of ${control.maxAttempts}; it is retried`;
  return `job ${job.id} is dead: \`agentlog jobs retry ${job.id}\` once the cause is fixed`;
}

/**
 * The `session.complete` job: moves the session to processing, runs the completion pipeline and
 * records the end: completed, failed (with the stage and the error), or back to stopped when the
 * worker is shutting down. No way out leaves the session processing, short of the process dying
 * (then the job's lease ends and the next attempt takes over).
 */
export function createCompletionHandler(deps: {
  store: Store;
  settings: StageSettings;
  stages?: readonly PipelineStage[];
  now?: () => number;
}): JobHandler {
  const { store, settings } = deps;
  const stages = deps.stages ?? completionStages;
  const now = deps.now ?? Date.now;
  const move = (payload: Payload, from: readonly SessionStatus[], to: SessionStatus, reason: string) =>
    store.transitionSession({ sessionId: payload.sessionId, from, to, reason, at: now() });

  return {
    kind: 'session.complete',

    async run(job, control): Promise<JobOutcome> {
      const parsed = jobPayloadSchemas['session.complete'].safeParse(job.payload);
      if (!parsed.success)
        return {
          status: 'failed',
          permanent: true,
          error: `the payload is not a session.complete payload: ${parsed.error.message}`,
        };
      const payload = parsed.data;
      const session = await store.getSession(payload.sessionId);
      if (session === null)
        return { status: 'failed', permanent: true, error: `session ${payload.sessionId} no longer exists` };
      // Completed already: an earlier attempt finished but its worker died before saying so.
      if (session.status === 'completed') return { status: 'done', result: { alreadyCompleted: true } };
      const started = await move(
        payload,
        startable,
        'processing',
        `completion job ${job.id}, attempt ${control.attempt} of ${control.maxAttempts}`,
      );
      if (started === null)
        return {
          status: 'failed',
          permanent: true,
          error: `session ${session.id} is ${session.status}; only a stopped session is completed`,
        };
      const outcome = await runPipeline(
        stages,
        { sessionId: payload.sessionId, projectId: payload.projectId },
        { store, settings },
        { shouldStop: () => control.shouldStop(), beforeStage: () => control.renewLease() },
      );
      switch (outcome.status) {
        case 'completed':
          await move(payload, ['processing'], 'completed', `completed: ${stageList(outcome)}`);
          return { status: 'done', result: { stages: outcome.stages } };
        case 'failed': {
          const note = retryNote(job, control, outcome.permanent);
          await move(
            payload,
            ['processing'],
            'failed',
            `${outcome.stage} failed: ${outcome.error} (${note})`,
          );
          return {
            status: 'failed',
            permanent: outcome.permanent,
            error: `${outcome.stage}: ${outcome.error}`,
            result: { stages: outcome.stages, failedStage: outcome.stage, error: outcome.error },
          };
        }
        case 'interrupted':
          await move(
            payload,
            ['processing'],
            'stopped',
            `completion interrupted before ${outcome.next} (the worker stopped); it runs again from the start`,
          );
          return { status: 'released' };
        default:
          return outcome satisfies never;
      }
    },

    async abandon(job, error) {
      const parsed = jobPayloadSchemas['session.complete'].safeParse(job.payload);
      if (!parsed.success) return;
      await move(parsed.data, ['processing', 'stopped'], 'failed', `completion abandoned: ${error}`);
    },
  };
}
