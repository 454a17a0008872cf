import type { HistoryMessage, MessageSpan, Store } from '../storage/ports.ts';
import type { Lineage } from './memory-sessions.ts';

/** Rows read in one query at most. */
const maxPage = 1000;
/** Pinned notes read per piece of history at most: notes are few by nature. */
const maxNotes = 10_000;

/**
 * A session's history newest first, the shared part included, pinned notes left out; at most
 * `limit`, a page (one query's rows) at a time. `pageSize(read)` says how many rows to read next,
 * given how many were read: the reader asks for about what it still needs, since every row read
 * costs.
 */
export async function* newestPages(
  store: Store,
  spans: readonly MessageSpan[],
  limit: number,
  pageSize: (read: number) => number,
): AsyncIterable<readonly HistoryMessage[]> {
  let left = limit;
  for (const span of spans) {
    let before: number | undefined;
    while (left > 0) {
      const size = Math.max(1, Math.min(pageSize(limit - left), maxPage, left));
      const rows = await store.spanMessagesDesc(span, {
        ...(before === undefined ? {} : { before }),
        limit: size,
        notes: 'exclude',
      });
      if (rows.length > 0) yield rows;
      left -= rows.length;
      const last = rows.at(-1);
      if (rows.length < size || last === undefined) break;
      before = last.id;
    }
    if (left <= 0) return;
  }
}

/** The session's pinned notes (see Lineage.noteSpans), oldest first. */
export async function notesOf(store: Store, lineage: Lineage): Promise<HistoryMessage[]> {
  const notes: HistoryMessage[] = [];
  for (const span of lineage.noteSpans.toReversed()) {
    if (span.order !== 'stored') continue;
    const rows = await store.spanMessagesDesc(span, { limit: maxNotes, notes: 'only' });
    notes.push(...rows.reverse());
  }
  return notes;
}

/** History messages in all (pinned notes not counted), from the counts kept with the sessions. */
export function historyCount(lineage: Lineage, notes: readonly HistoryMessage[]): number {
  const ownNotes = notes.filter((n) => n.sessionId === lineage.session.id).length;
  return Math.max(0, lineage.session.messageCount - ownNotes) + lineage.shared;
}

/** The hot window's size: the retention policy's, or everything. */
export function hotWindow(lineage: Lineage, total: number): number {
  return lineage.keepLast === null ? total : Math.min(lineage.keepLast, total);
}
