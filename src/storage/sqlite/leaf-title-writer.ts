import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { externalIdsBySource } from '../leaf-titles.ts';
import type { LeafTitleInput } from '../ports.ts';

/**
 * `WriteBatch.leafTitles` in the batch's transaction, after its sessions and messages: titles
 * waiting for one of the batch's new messages are taken, then each title of the batch goes to the
 * session owning its leaf, or waits in `pending_summaries` while the leaf is not stored. A title
 * only fills a session that has none, so one the session's own records set (ai-title,
 * custom-title) stays, whichever was written first.
 */
export class LeafTitleWriter {
  private readonly anyPending: StatementSync;
  private readonly claim: StatementSync;
  private readonly ownerOf: StatementSync;
  private readonly fill: StatementSync;
  private readonly pend: StatementSync;

  constructor(db: DatabaseSync) {
    this.anyPending = db.prepare(
      'SELECT 1 AS one FROM pending_summaries WHERE project_id = ? AND source = ? LIMIT 1',
    );
    this.claim = db.prepare(`
      DELETE FROM pending_summaries WHERE project_id = ? AND source = ?
        AND leaf_external_id IN (SELECT value FROM json_each(?))
      RETURNING leaf_external_id AS leaf, title`);
    this.ownerOf = db.prepare(
      'SELECT session_id FROM messages WHERE project_id = ? AND source = ? AND external_id = ?',
    );
    this.fill = db.prepare('UPDATE sessions SET title = ? WHERE id = ? AND title IS NULL');
    this.pend = db.prepare(`
      INSERT INTO pending_summaries (project_id, source, leaf_external_id, title) VALUES (?, ?, ?, ?)
      ON CONFLICT DO NOTHING`);
  }

  write(
    project: number,
    fresh: readonly { source: string; externalId: string }[],
    titles: readonly LeafTitleInput[],
  ): void {
    for (const [source, ids] of externalIdsBySource(fresh)) {
      // Most projects have nothing waiting: one probe instead of one per message.
      if (this.anyPending.get(project, source) === undefined) continue;
      const claimed = this.claim.all(project, source, JSON.stringify(ids)) as {
        leaf: string;
        title: string;
      }[];
      for (const { leaf, title } of claimed) this.apply(project, source, leaf, title);
    }
    for (const t of titles) {
      if (!this.apply(project, t.source, t.leafExternalId, t.title))
        this.pend.run(project, t.source, t.leafExternalId, t.title);
    }
  }

  /** False when the leaf is not stored yet. */
  private apply(project: number, source: string, leaf: string, title: string): boolean {
    const owner = this.ownerOf.get(project, source, leaf) as { session_id: string } | undefined;
    if (owner === undefined) return false;
    this.fill.run(title, owner.session_id);
    return true;
  }
}
