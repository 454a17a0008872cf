import { leafHolders, messageSources } from '../leaf-titles.ts';
import type { WriteBatch } from '../ports.ts';
import type { PgTx as Tx } from './pg-tx.ts';

const fill = (tx: Tx, title: string, id: string) =>
  tx.q('UPDATE sessions SET title = :title WHERE id = :id AND title IS NULL', { title, id });

/**
 * `WriteBatch.leafTitles` on PostgreSQL, by the rule in storage/leaf-titles.ts. The batch's
 * messages are looked up in one statement a source, whether or not any title is kept (a probe
 * first would cost the same round trip).
 */
export async function writePgLeafTitles(
  tx: Tx,
  batch: WriteBatch,
  sessionId: (source: string, external: string) => string,
): Promise<void> {
  const project = batch.projectId;
  const titles = batch.leafTitles ?? [];
  for (const t of titles)
    await tx.q(
      `INSERT INTO leaf_titles (project_id, source, leaf_external_id, title)
       VALUES (:project, :source, :leaf, :title) ON CONFLICT DO NOTHING`,
      { project, source: t.source, leaf: t.leafExternalId, title: t.title },
    );
  for (const [source, ids] of leafHolders(batch.messages, messageSources(batch.messages), sessionId)) {
    const kept = await tx.q<{ leaf: string; title: string }>(
      `SELECT leaf_external_id AS leaf, title FROM leaf_titles
       WHERE project_id = :project AND source = :source AND leaf_external_id = ANY(:ids::text[])`,
      { project, source, ids: [...ids.keys()] },
    );
    for (const { leaf, title } of kept) for (const session of ids.get(leaf)!) await fill(tx, title, session);
  }
  for (const t of titles) {
    const [owner] = await tx.q<{ session_id: string }>(
      'SELECT session_id FROM messages WHERE project_id = :project AND source = :source AND external_id = :leaf',
      { project, source: t.source, leaf: t.leafExternalId },
    );
    if (owner !== undefined) await fill(tx, t.title, owner.session_id);
  }
}
