import type { ParsedUsage } from '../source-format.ts';
import { isObj, optString, type Obj } from '../shared/fields.ts';
import {
  readCounts,
  sameCounts,
  subtractCounts,
  toUsage,
  usageKey,
  zeroCounts,
  type TokenCounts,
} from './usage.ts';

/** Where a usage row falls: the thread, the turn's model, the line, and whether it is the parent's copy. */
export type UsagePlace = {
  threadId: string | null;
  model: string | null;
  /** `<rollout stamp>:<line>`: the key of a response that has no better one. */
  lineKey: string;
  timestamp: number | undefined;
  inherited: boolean;
};

/**
 * A rollout's usage, one row per model response. Rollouts count it in `token_count` events
 * (cumulative totals and the last response's counts) and, since Codex 0.15x, in
 * `token_usage_record` lines (one response each), beside the events or instead of them: the kind a
 * rollout writes first is the one counted, so no response counts twice.
 */
export class UsageCounter {
  /** The thread's cumulative totals so far (the format replays earlier lines when an import resumes). */
  private totals: TokenCounts = zeroCounts();
  private countedFrom: 'token_count' | 'token_usage_record' | null = null;

  /**
   * A token_count: `last_token_usage`, else the growth of the cumulative totals. A snapshot equal
   * to the previous one is the same response written again and counts once.
   */
  tokenCount(p: Obj, at: UsagePlace): ParsedUsage | null {
    const info = p.info;
    if (!isObj(info)) return null; // rate limits only
    // The oldest token_count held the cumulative totals directly in `info`.
    const total = readCounts(info.total_token_usage) ?? ('input_tokens' in info ? readCounts(info) : null);
    const last = 'total_token_usage' in info ? readCounts(info.last_token_usage) : null;
    const previous = this.totals;
    if (total !== null) this.totals = total;
    if (total !== null || last !== null) this.countedFrom ??= 'token_count';
    if (this.countedFrom !== 'token_count') return null;
    if (total !== null && sameCounts(total, previous)) return null;
    let counts = last;
    if (counts === null) {
      if (total === null) return null;
      counts = subtractCounts(total, previous);
    }
    return this.row(counts, usageKey(at.threadId ?? '', total, at.lineKey), at);
  }

  /** A token_usage_record: the response's own `usage`, keyed by its response id. */
  usageRecord(p: Obj, at: UsagePlace): ParsedUsage | null {
    // Cached input is inside input, reasoning inside output, as in token_count.
    const counts = readCounts(p.usage);
    if (counts === null) return null;
    this.countedFrom ??= 'token_usage_record';
    if (this.countedFrom !== 'token_usage_record') return null;
    const response = optString(p, 'response_id', 'payload.response_id');
    const key =
      response === undefined
        ? usageKey(at.threadId ?? '', null, at.lineKey)
        : `${at.threadId}:response:${response}`;
    return this.row(counts, key, at);
  }

  private row(counts: TokenCounts, dedupKey: string, at: UsagePlace): ParsedUsage | null {
    if (at.inherited || at.timestamp === undefined || at.threadId === null) return null;
    if (counts.input + counts.output === 0) return null;
    return { dedupKey, model: at.model, timestamp: at.timestamp, ...toUsage(counts) };
  }
}
