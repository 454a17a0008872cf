import type { ArchiveConfig } from '../config/reports-config.ts';
import { startPeriodic, type Periodic } from '../analytics/periodic.ts';
import type { BlobStore, Store } from '../storage/ports.ts';
import { createCheckpoint } from './create-checkpoint.ts';
import { applyRetention } from './retention.ts';
import { AgentlogError } from '../domain/errors.ts';

export type ScheduleLog = {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
};

const hour = 3_600_000;

/**
 * The server's archive work: a checkpoint every `checkpointEveryMinutes` when something is new,
 * and, with `hotDays` set, retention at most once an hour after a checkpoint run.
 */
export function startCheckpointSchedule(
  deps: { store: Store; blobs: BlobStore; project: { id: number; name: string } },
  config: ArchiveConfig,
  log: ScheduleLog,
): Periodic | null {
  if (config.checkpointEveryMinutes <= 0) return null;
  let lastRetention = 0;
  return startPeriodic(
    async () => {
      const now = Date.now();
      const outcome = await createCheckpoint(deps, { now });
      if (outcome.status === 'written') {
        const c = outcome.checkpoint;
        log.info({ seq: c.seq, messages: c.messages, bytes: c.bytes }, `checkpoint ${c.seq} written`);
      }
      if (config.hotDays === undefined || now - lastRetention < hour) return;
      lastRetention = now;
      const kept = await applyRetention(
        { ...deps, projectId: deps.project.id },
        { hotDays: config.hotDays, now },
      );
      if (kept.messages > 0 || kept.failed !== null)
        log.info(
          { messages: kept.messages, rawRecords: kept.rawRecords, failed: kept.failed },
          'retention ran',
        );
    },
    config.checkpointEveryMinutes * 60_000,
    {
      onError: (err) =>
        // Another replica holds this project's checkpoint: its turn, not a failure.
        err instanceof AgentlogError && err.code === 'CONFLICT'
          ? log.info({ reason: err.message }, 'scheduled checkpoint left to another process')
          : log.error({ err }, 'scheduled checkpoint failed'),
    },
  );
}
