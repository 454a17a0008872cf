import type { MessageInput } from '../../domain/message.ts';
import type { ParsedRecord } from '../source-format.ts';

/**
 * What the store holds for a message before a group of records is written, as far as the parser
 * can tell: `none` when this file never gave the message before (taken to mean the store has no
 * row: Gemini message ids are UUIDs, each written by one chat file), else the copy this file gave
 * last (the store holds that copy's hash when it was revisable). A `priorOf` answering `undefined`
 * does not know: the safe choice is then made.
 */
export type PriorCopy = 'none' | { contentHash: string; revisable: boolean };

/**
 * Gemini appends a message again each time it changes, and every copy is a revisable message:
 * the store keeps a copy whose hash differs from the stored one (the old one becomes a revision)
 * and ignores one with the same hash. Of copies read together, written in order, the row that
 * remains is the first of the trailing copies sharing the last copy's hash: that copy alone gives
 * the same row, so the others need not be redacted, enriched or written. The copy before it is
 * kept too when the stored row may already have that hash (a message changed back), since alone
 * it would then be ignored and leave the older row's line, time and raw record.
 *
 * Returns the records in the same order, those copies without their message; their session
 * patches, usage rows and images stay, so the session and usage come out as before.
 */
export function coalesceCopies(
  records: readonly ParsedRecord[],
  priorOf: (version: MessageInput) => PriorCopy | undefined,
): ParsedRecord[] {
  const copies = new Map<string, number[]>();
  for (let i = 0; i < records.length; i++) {
    const message = records[i]!.message;
    if (message === null) continue;
    const at = copies.get(message.externalId);
    if (at === undefined) copies.set(message.externalId, [i]);
    else at.push(i);
  }
  const dropped = new Set<number>();
  for (const at of copies.values()) {
    if (at.length < 2) continue;
    const versions = at.map((i) => records[i]!.message!);
    // A copy that is not revisable ($set checkpoints) follows other rules: keep all of them.
    if (versions.some((v) => v.revisable !== true)) continue;
    const lastHash = versions.at(-1)!.contentHash;
    let decisive = versions.length - 1;
    while (decisive > 0 && versions[decisive - 1]!.contentHash === lastHash) decisive--;
    let first = decisive;
    if (decisive > 0 && mayHoldHash(priorOf(versions[0]!), lastHash)) first = decisive - 1;
    for (let j = 0; j < at.length; j++) if (j < first || j > decisive) dropped.add(at[j]!);
  }
  if (dropped.size === 0) return [...records];
  return records.map((r, i) => (dropped.has(i) ? { ...r, message: null } : r));
}

function mayHoldHash(prior: PriorCopy | undefined, hash: string): boolean {
  if (prior === 'none') return false;
  if (prior === undefined || !prior.revisable) return true;
  return prior.contentHash === hash;
}
