/**
 * The new messages of a batch grouped by source, as both store adapters take the titles waiting
 * for them (`WriteBatch.leafTitles`): one claim per source, most batches have one.
 */
export function externalIdsBySource(messages: readonly { source: string; externalId: string }[]) {
  const bySource = new Map<string, string[]>();
  for (const m of messages) {
    let ids = bySource.get(m.source);
    if (ids === undefined) bySource.set(m.source, (ids = []));
    ids.push(m.externalId);
  }
  return bySource;
}
