import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

/**
 * The reads of message_labels that a search, a report or a training file makes, restated as they
 * are written (search-queries.ts, report-queries.ts, dataset-queries.ts), each with the index it
 * must find. The import writes as few label indexes as these need (migration 015).
 */
const reads: { name: string; sql: string; args: unknown[]; plan: RegExp }[] = [
  {
    name: 'search: a message has a domain',
    sql: `SELECT m.id FROM messages m WHERE m.project_id = ? AND EXISTS
          (SELECT 1 FROM message_labels l WHERE l.message_id = m.id AND l.facet = 'domain' AND l.label = ?)`,
    args: [1, 'web'],
    plan: /SEARCH l (EXISTS )?USING (COVERING )?INDEX sqlite_autoindex_message_labels_1 \(message_id=\? AND facet=\? AND label=\?\)/,
  },
  {
    name: 'search: messages of a domain, newest first',
    sql: `SELECT message_id AS id FROM message_labels WHERE project_id = ? AND facet = 'domain' AND label = ?
          AND message_id < ? ORDER BY message_id DESC LIMIT ?`,
    args: [1, 'web', 1000, 50],
    plan: /SEARCH message_labels USING COVERING INDEX message_labels_domain /,
  },
  {
    name: 'report: labels of the messages at a window edge',
    sql: `SELECT l.label AS label, COUNT(*) AS messages FROM messages m JOIN message_labels l ON l.message_id = m.id
          WHERE m.project_id = ? AND l.facet = ? AND m.timestamp >= ? AND m.timestamp < ? GROUP BY l.label`,
    args: [1, 'tier', 0, 1],
    plan: /SEARCH l USING (COVERING )?INDEX sqlite_autoindex_message_labels_1 \(message_id=\? AND facet=\?\)/,
  },
  {
    name: "training file: a session's top label",
    sql: `SELECT label, COUNT(*) AS n FROM message_labels
          WHERE session_id = ? AND facet = ? AND rank = 0 AND facet IN ('domain', 'tier')
          GROUP BY label ORDER BY n DESC, label LIMIT 1`,
    args: ['ses_x', 'tier'],
    plan: /SEARCH message_labels USING COVERING INDEX message_labels_session_top /,
  },
];

describe('the reads of message labels on SQLite', () => {
  it('each find an index, without the (project, facet, label) index the import no longer writes', async () => {
    const path = join(tempDir(), 'agentlog.db');
    await new SqliteStore(path).close();
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      const indexes = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'message_labels'")
        .all()
        .map((r) => (r as { name: string }).name);
      expect(indexes).not.toContain('message_labels_facet');
      for (const read of reads) {
        const plan = db
          .prepare(`EXPLAIN QUERY PLAN ${read.sql}`)
          .all(...(read.args as string[]))
          .map((r) => (r as { detail: string }).detail)
          .join('\n');
        expect(plan, read.name).toMatch(read.plan);
      }
    } finally {
      db.close();
    }
  });
});
