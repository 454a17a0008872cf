import { AgentlogError } from '../domain/errors.ts';
import type { CommitItem, GroupCommitter, ItemOutcome } from '../ingest/group-commit.ts';
import { memorySource } from './memory-records.ts';

/**
 * Hands memory's records to the group committer and waits for their commit: a write that returns
 * is durable. Writes of one process are committed in the order they were made, so concurrent
 * writers to one session keep their order (the message id is assigned inside the transaction).
 */
export async function commitItems(
  committer: GroupCommitter,
  projectId: number,
  items: CommitItem[],
): Promise<ItemOutcome[]> {
  const submitted = committer.submit({ projectId, source: memorySource }, items);
  if (!submitted.queued) {
    throw submitted.reason === 'full'
      ? new AgentlogError('BUSY', 'The write queue is full; nothing was written.', {
          hint: `Try again in ${Math.ceil(submitted.retryAfterMs / 1000)} s.`,
        })
      : new AgentlogError('UNAVAILABLE', 'agentlog is shutting down; nothing was written.', {
          hint: 'Try again once it runs again.',
        });
  }
  try {
    return await submitted.committed;
  } catch (cause) {
    throw new AgentlogError(
      'UNAVAILABLE',
      'The store could not commit this write; nothing of it was stored.',
      {
        hint: 'Try again; if this persists, check the disk and the store (agentlog.db).',
        cause,
      },
    );
  }
}
