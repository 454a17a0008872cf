/**
 * The rule of `WriteBatch.leafTitles`, which both store adapters follow in the batch's transaction,
 * after its sessions and messages:
 *   1. the batch's titles are kept by leaf (`leaf_titles`; the first title of a leaf stays);
 *   2. every session that writes a kept leaf in this batch, as a new message or a copy of one
 *      stored already (a resumed session holds its original's messages), gets its title;
 *   3. each title of the batch also goes to the session that owns its leaf, stored earlier.
 * A title only fills a session that has none: a title the session's own records set (ai-title,
 * custom-title) wins, whether written before or after. So the order in which the summary's file
 * and the leaf's files are imported, or importing them again, changes nothing. (Left out: a session
 * holding a copy of the leaf, stored before the title and not owning the leaf, is not found.)
 */

/** The sessions writing each message of a batch, by source, then by message external id. */
export type LeafHolders = Map<string, Map<string, string[]>>;

/** The sources of a batch's messages: most batches have one, so this is one comparison a message. */
export function messageSources(messages: readonly { source: string }[]): Set<string> {
  const sources = new Set<string>();
  let last: string | null = null;
  for (const m of messages) {
    if (m.source === last) continue;
    last = m.source;
    sources.add(m.source);
  }
  return sources;
}

/** Who writes each message of these sources (the only ones with titles kept: usually none). */
export function leafHolders(
  messages: readonly { source: string; externalId: string; sessionExternalId: string }[],
  sources: ReadonlySet<string>,
  sessionId: (source: string, external: string) => string,
): LeafHolders {
  const bySource: LeafHolders = new Map();
  for (const m of messages) {
    if (!sources.has(m.source)) continue;
    let ids = bySource.get(m.source);
    if (ids === undefined) bySource.set(m.source, (ids = new Map()));
    const session = sessionId(m.source, m.sessionExternalId);
    const sessions = ids.get(m.externalId);
    if (sessions === undefined) ids.set(m.externalId, [session]);
    else if (!sessions.includes(session)) sessions.push(session);
  }
  return bySource;
}
