import { externalIdsBySource } from '../leaf-titles.ts';
import type { LeafTitleInput } from '../ports.ts';
import type { PgTx as Tx } from './pg-tx.ts';

/**
 * `WriteBatch.leafTitles` in the batch's transaction, after its sessions and messages, with the
 * rule of SQLite's LeafTitleWriter: titles waiting for a new message of the batch are taken, then
 * each title of the batch fills the title of the session owning its leaf (a session with a title
 * keeps it), or waits in `pending_summaries` while the leaf is not stored.
 */
export async function writePgLeafTitles(
  tx: Tx,
  project: number,
  fresh: readonly { source: string; externalId: string }[],
  titles: readonly LeafTitleInput[],
): Promise<void> {
  for (const [source, ids] of externalIdsBySource(fresh)) {
    const claimed = await tx.q<{ leaf: string; title: string }>(
      `DELETE FROM pending_summaries WHERE project_id = :project AND source = :source
         AND leaf_external_id = ANY(:ids::text[])
       RETURNING leaf_external_id AS leaf, title`,
      { project, source, ids },
    );
    for (const { leaf, title } of claimed) await apply(tx, project, source, leaf, title);
  }
  for (const t of titles) {
    if (await apply(tx, project, t.source, t.leafExternalId, t.title)) continue;
    await tx.q(
      `INSERT INTO pending_summaries (project_id, source, leaf_external_id, title)
       VALUES (:project, :source, :leaf, :title) ON CONFLICT DO NOTHING`,
      { project, source: t.source, leaf: t.leafExternalId, title: t.title },
    );
  }
}

/** False when the leaf is not stored yet. */
async function apply(tx: Tx, project: number, source: string, leaf: string, title: string): Promise<boolean> {
  const owners = await tx.q<{ session_id: string }>(
    'SELECT session_id FROM messages WHERE project_id = :project AND source = :source AND external_id = :leaf',
    { project, source, leaf },
  );
  if (owners.length === 0) return false;
  await tx.q('UPDATE sessions SET title = :title WHERE id = :id AND title IS NULL', {
    title,
    id: owners[0]!.session_id,
  });
  return true;
}
