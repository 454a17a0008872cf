import type { Principal } from '../auth/api-keys.ts';
import { AgentlogError } from '../domain/errors.ts';
import { apiMessageRecord, apiSource } from '../ingest/api-messages.ts';
import type { CommitItem, GroupCommitter, ItemOutcome } from '../ingest/group-commit.ts';
import type { BatchResult, ItemStatus } from './http-contract.ts';
import { parseApiMessage } from './parse-api-message.ts';
import type { ServerMetrics, Transport } from './server-metrics.ts';
import { zodReason } from './zod-reason.ts';

/** Not taken: the queue is full (or closing); the client sends the same again after the wait. */
export type Refusal = { refused: 'full' | 'closed'; retryAfterMs: number };

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && 'refused' in value;
}

export function statusOf(outcome: ItemOutcome): Exclude<ItemStatus, 'rejected'> {
  return outcome === 'duplicate' || outcome === 'revised' ? 'duplicate' : 'accepted';
}

/** The id of an element that failed to parse, when it has a readable one. */
export function looseId(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || !('id' in value)) return null;
  return typeof value.id === 'string' ? value.id : null;
}

/**
 * The server's way into the write path, shared by HTTP and WebSocket: parse each message on its
 * own, hand the valid ones to the group committer, count what happened.
 */
export class ApiIngest {
  private readonly committer: GroupCommitter;
  private readonly metrics: ServerMetrics;

  constructor(committer: GroupCommitter, metrics: ServerMetrics) {
    this.committer = committer;
    this.metrics = metrics;
  }

  /** Queues records of the key's project; the promise settles after their commit. */
  submit(
    principal: Principal,
    items: CommitItem[],
    transport: Transport,
  ): { committed: Promise<ItemOutcome[]> } | Refusal {
    const target = { projectId: principal.projectId, projectName: principal.projectName, source: apiSource };
    const submitted = this.committer.submit(target, items);
    if (!submitted.queued) {
      this.metrics.throttled.inc({ transport, reason: submitted.reason });
      return { refused: submitted.reason, retryAfterMs: submitted.retryAfterMs };
    }
    return { committed: submitted.committed.catch(storeFailure) };
  }

  /** One result per element, in order, once the valid ones are committed. */
  async messages(principal: Principal, elements: readonly unknown[]): Promise<BatchResult[] | Refusal> {
    const receivedAt = Date.now();
    const results: BatchResult[] = [];
    const items: CommitItem[] = [];
    const positions: number[] = [];
    elements.forEach((element, index) => {
      const parsed = parseApiMessage(element);
      if (!parsed.success) {
        results[index] = { index, id: looseId(element), status: 'rejected', reason: zodReason(parsed.error) };
        return;
      }
      items.push({
        record: apiMessageRecord(parsed.data, receivedAt, index),
        raw: Buffer.from(JSON.stringify(element)),
      });
      positions.push(index);
    });
    const submitted = this.submit(principal, items, 'http');
    if (isRefusal(submitted)) return submitted;
    this.metrics.requestBatch.observe(elements.length);
    const outcomes = await submitted.committed;
    outcomes.forEach((outcome, i) => {
      const index = positions[i]!;
      results[index] = { index, id: looseId(elements[index]), status: statusOf(outcome) };
    });
    this.count(results, 'http');
    return results;
  }

  count(results: readonly { status: ItemStatus }[], transport: Transport): void {
    let accepted = 0;
    let duplicates = 0;
    for (const { status } of results) {
      if (status === 'accepted') accepted++;
      else if (status === 'duplicate') duplicates++;
    }
    const rejected = results.length - accepted - duplicates;
    // One increment per status, not per message: label keys are built on each call.
    if (accepted > 0) this.metrics.ingested.inc({ transport }, accepted);
    if (duplicates > 0) this.metrics.duplicates.inc({ transport }, duplicates);
    if (rejected > 0) this.metrics.rejected.inc({ transport }, rejected);
  }
}

function storeFailure(cause: unknown): never {
  throw new AgentlogError('UNAVAILABLE', 'The store could not commit this write; nothing of it was stored.', {
    hint: 'Send it again; if this persists, see the server log.',
    cause,
  });
}
