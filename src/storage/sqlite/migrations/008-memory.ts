import type { Migration } from '../migrate.ts';

/**
 * Session memory (src/memory): a memory session's history is read newest first in the order the
 * store committed it (message id), and its pinned notes apart from the rest. Both indexes are
 * partial, so the messages of imports and the ingest API cost nothing more to write.
 */
export const memory: Migration = {
  version: 8,
  name: 'memory',
  sql: `
CREATE INDEX messages_memory_order ON messages (session_id, id) WHERE source = 'memory';
CREATE INDEX messages_memory_notes ON messages (session_id, id) WHERE source = 'memory' AND kind = 'note';
`,
};
