import type { RetentionOutcome } from '../domain/checkpoint.ts';
import type { BlobStore, Store } from '../storage/ports.ts';
import { verifyCheckpoint, type Verification } from './verify-checkpoint.ts';

const day = 86_400_000;

export type RetentionReport = RetentionOutcome & {
  /** The first checkpoint that did not verify: nothing it (or a later one) holds was deleted. */
  failed: Verification | null;
  verified: number;
};

/**
 * Keeps `hotDays` of messages in the hot store. Every checkpoint of the project is read back and
 * verified first, oldest first; deletion stops below the first that fails, so nothing leaves the
 * hot store unless a checkpoint whose hash verifies holds it.
 */
export async function applyRetention(
  deps: { store: Store; blobs: BlobStore; projectId: number },
  options: { hotDays: number; now: number },
): Promise<RetentionReport> {
  const checkpoints = await deps.store.listCheckpoints(deps.projectId);
  let verifiedThrough = 0;
  let verified = 0;
  let failed: Verification | null = null;
  for (const checkpoint of checkpoints) {
    const check = await verifyCheckpoint(deps, checkpoint, options.now);
    if (!check.ok) {
      failed = check;
      break;
    }
    verifiedThrough = checkpoint.seq;
    verified++;
  }
  const outcome = await deps.store.applyRetention({
    projectId: deps.projectId,
    cutoff: options.now - options.hotDays * day,
    verifiedThrough,
    now: options.now,
  });
  return { ...outcome, failed, verified };
}
