import type { Migration } from '../migrate.ts';

/**
 * Session memory (src/memory) reads a memory session's history newest first, in the order the
 * store committed it (message id), and its pinned notes apart from the rest. The window index
 * holds every column that read uses, so a session's newest messages come from a few adjacent
 * index pages instead of one table page each (about 3× less work at a million messages). Blocks
 * that only repeat the text (most messages) are stored in it as NULL. Both indexes are partial:
 * imports and the ingest API write nothing more.
 */
export const memory: Migration = {
  version: 8,
  name: 'memory',
  sql: `
CREATE INDEX messages_memory_window ON messages (
  session_id, id, kind, role, speaker_name, speaker_role, external_id, timestamp, seq, meta, text,
  (CASE WHEN blocks = json_array(json_object('type', 'text', 'text', text)) THEN NULL ELSE blocks END)
) WHERE source = 'memory';
CREATE INDEX messages_memory_notes ON messages (session_id, id) WHERE source = 'memory' AND kind = 'note';
`,
};
