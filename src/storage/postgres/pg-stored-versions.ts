import type pg from 'pg';
import type { StoredVersionQuery, StoredVersions } from '../ports.ts';
import { named } from './named-params.ts';
import { hashKey } from './pg-batch-writer.ts';

/** What a re-import need not prepare again: each key an index lookup (`= ANY` of one array). */
export async function selectPgStoredVersions(
  pool: pg.Pool,
  query: StoredVersionQuery,
): Promise<StoredVersions> {
  const { projectId, source } = query;
  // Raw hashes are stored as their first 16 bytes (hashKey): map those back to the hashes asked.
  const byKey = new Map<string, string>();
  for (const hash of query.rawHashes) byKey.set(hashKey(hash).toString('hex'), hash);
  const rawHashes = new Set<string>();
  if (byKey.size > 0) {
    const { rows } = await pool.query<{ key: string }>(
      named(
        `SELECT encode(hash, 'hex') AS key FROM raw_records
         WHERE project_id = :projectId AND source = :source AND hash = ANY(:keys::bytea[])`,
        { projectId, source, keys: [...byKey.keys()].map((key) => Buffer.from(key, 'hex')) },
      ),
    );
    for (const row of rows) rawHashes.add(byKey.get(row.key)!);
  }
  const messages: StoredVersions['messages'] = new Map();
  if (query.messageExternalIds.length > 0) {
    const { rows } = await pool.query<{ external_id: string; session_id: string; content_hash: string }>(
      named(
        `SELECT external_id, session_id, content_hash FROM messages
         WHERE project_id = :projectId AND source = :source AND external_id = ANY(:ids::text[])`,
        { projectId, source, ids: query.messageExternalIds },
      ),
    );
    for (const row of rows)
      messages.set(row.external_id, { sessionId: row.session_id, contentHash: row.content_hash });
  }
  return { rawHashes, messages };
}
