import type { DatabaseSync } from 'node:sqlite';
import type { StoredVersionQuery, StoredVersions } from '../ports.ts';
import { hashKey } from './hash-key.ts';

/**
 * What a re-import need not prepare again. The keys go in as one JSON array each (any number, one
 * statement); `IN (SELECT … json_each)` looks each one up in the table's unique index.
 */
export function selectStoredVersions(db: DatabaseSync, query: StoredVersionQuery): StoredVersions {
  const { projectId, source } = query;
  // Raw hashes are stored as their first 16 bytes (hash-key.ts): map those back to the hashes asked.
  const byKey = new Map<string, string>();
  for (const hash of query.rawHashes) byKey.set(Buffer.from(hashKey(hash)).toString('hex'), hash);
  const rawHashes = new Set<string>();
  if (byKey.size > 0) {
    const rows = db
      .prepare(
        `SELECT lower(hex(hash)) AS key FROM raw_records WHERE project_id = ? AND source = ?
           AND hash IN (SELECT unhex(value) FROM json_each(?))`,
      )
      .all(projectId, source, JSON.stringify([...byKey.keys()])) as { key: string }[];
    for (const row of rows) rawHashes.add(byKey.get(row.key)!);
  }
  const messages: StoredVersions['messages'] = new Map();
  if (query.messageExternalIds.length > 0) {
    const rows = db
      .prepare(
        `SELECT external_id, session_id, content_hash FROM messages WHERE project_id = ? AND source = ?
           AND external_id IN (SELECT value FROM json_each(?))`,
      )
      .all(projectId, source, JSON.stringify(query.messageExternalIds)) as {
      external_id: string;
      session_id: string;
      content_hash: string;
    }[];
    for (const row of rows)
      messages.set(row.external_id, { sessionId: row.session_id, contentHash: row.content_hash });
  }
  return { rawHashes, messages };
}
