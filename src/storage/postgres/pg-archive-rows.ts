import type { ArchivedMessage } from '../ports.ts';
import { archivedFromRow, type MessageRowFields } from '../row-mapping.ts';

/** Rows of the archive tables as `pg` returns them, and the port's types made of them. */
export type ArchiveRow = MessageRowFields & {
  project_id: number;
  blocks_json: string;
  meta_json: string;
  raw_hex: string | null;
  pending: boolean;
};

export const archiveColumns = `m.id, m.project_id, m.session_id, m.source, m.external_id, m.parent_external_id, m.role,
  m.kind, m.speaker_name, m.speaker_role, m.text, m.blocks::text AS blocks_json, m.model, m.response_id,
  m.input_tokens, m.output_tokens, m.cache_creation_tokens, m.cache_read_tokens, m.timestamp, m.seq,
  m.content_hash, m.meta::text AS meta_json, encode(m.raw_hash, 'hex') AS raw_hex,
  EXISTS (SELECT 1 FROM archive_pending p WHERE p.message_id = m.id) AS pending`;

export const toArchived = (row: ArchiveRow, revisions: string[]): ArchivedMessage =>
  archivedFromRow(row, {
    projectId: row.project_id,
    blocksJson: row.blocks_json,
    metaJson: row.meta_json,
    revisionsJson: `[${revisions.join(',')}]`,
    rawHash: row.raw_hex,
    pendingRevision: row.pending,
  });
