import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { leafHolders, messageSources } from '../leaf-titles.ts';
import type { WriteBatch } from '../ports.ts';

/** `WriteBatch.leafTitles` on SQLite, by the rule in storage/leaf-titles.ts. */
export class LeafTitleWriter {
  private readonly keep: StatementSync;
  private readonly anyKept: StatementSync;
  private readonly keptFor: StatementSync;
  private readonly ownerOf: StatementSync;
  private readonly fill: StatementSync;

  constructor(db: DatabaseSync) {
    this.keep = db.prepare(`
      INSERT INTO leaf_titles (project_id, source, leaf_external_id, title) VALUES (?, ?, ?, ?)
      ON CONFLICT DO NOTHING`);
    this.anyKept = db.prepare('SELECT 1 AS one FROM leaf_titles WHERE project_id = ? AND source = ? LIMIT 1');
    this.keptFor = db.prepare(`
      SELECT leaf_external_id AS leaf, title FROM leaf_titles
      WHERE project_id = ? AND source = ? AND leaf_external_id IN (SELECT value FROM json_each(?))`);
    this.ownerOf = db.prepare(
      'SELECT session_id FROM messages WHERE project_id = ? AND source = ? AND external_id = ?',
    );
    this.fill = db.prepare('UPDATE sessions SET title = ? WHERE id = ? AND title IS NULL');
  }

  write(batch: WriteBatch, sessionId: (source: string, external: string) => string): void {
    const project = batch.projectId;
    const titles = batch.leafTitles ?? [];
    for (const t of titles) this.keep.run(project, t.source, t.leafExternalId, t.title);
    // Most projects keep no titles (only older Claude Code wrote summaries): one probe a source.
    const sources = new Set(
      [...messageSources(batch.messages)].filter((s) => this.anyKept.get(project, s) !== undefined),
    );
    if (sources.size > 0) {
      for (const [source, ids] of leafHolders(batch.messages, sources, sessionId)) {
        const kept = this.keptFor.all(project, source, JSON.stringify([...ids.keys()])) as {
          leaf: string;
          title: string;
        }[];
        for (const { leaf, title } of kept)
          for (const session of ids.get(leaf)!) this.fill.run(title, session);
      }
    }
    for (const t of titles) {
      const owner = this.ownerOf.get(project, t.source, t.leafExternalId) as
        { session_id: string } | undefined;
      if (owner !== undefined) this.fill.run(t.title, owner.session_id);
    }
  }
}
