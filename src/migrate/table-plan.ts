/**
 * What `agentlog migrate` copies, in an order that keeps foreign keys satisfied (parents first).
 * Ids are copied as they are: messages' ids are referenced by enrichment, labels, terms,
 * revisions and checkpoints; session ids are content-derived strings.
 *
 * - `key`: the primary key; the source is read in its order, in chunks, and the last key of the
 *   last committed chunk is the resume point.
 * - `verify`: columns hashed beside the key to compare source and target (content hashes and
 *   counts; JSON columns are left out, since PostgreSQL's jsonb rewrites their spacing).
 * - `where`: only these rows are the store's own data (a filter both sides understand).
 * - `chunkRows`: fewer rows per chunk where rows are large.
 */
export type TablePlan = {
  table: string;
  key: readonly string[];
  verify: readonly string[];
  where?: string;
  chunkRows?: number;
};

export const copiedTables: readonly TablePlan[] = [
  { table: 'projects', key: ['id'], verify: ['name', 'created_at'] },
  {
    table: 'sessions',
    key: ['id'],
    verify: ['project_id', 'source', 'external_id', 'status', 'message_count', 'started_at', 'ended_at'],
  },
  { table: 'session_models', key: ['session_id', 'model'], verify: [] },
  { table: 'session_transitions', key: ['id'], verify: ['session_id', 'to_status', 'at'] },
  {
    table: 'raw_records',
    key: ['id'],
    verify: ['project_id', 'source', 'hash', 'session_id', 'line'],
    chunkRows: 500,
  },
  {
    table: 'messages',
    key: ['id'],
    verify: ['project_id', 'session_id', 'source', 'external_id', 'content_hash', 'raw_hash', 'timestamp'],
    chunkRows: 500,
  },
  { table: 'message_revisions', key: ['id'], verify: ['message_id', 'content_hash', 'revised_at'] },
  {
    table: 'usage',
    key: ['project_id', 'source', 'dedup_key'],
    verify: ['session_id', 'timestamp', 'input_tokens', 'output_tokens', 'total_tokens', 'secondary'],
  },
  { table: 'usage_replay_groups', key: ['project_id', 'source', 'group_key'], verify: ['has_primary'] },
  { table: 'blobs', key: ['sha256'], verify: ['size', 'data'], chunkRows: 20 },
  { table: 'source_files', key: ['project_id', 'source', 'path'], verify: ['size', 'byte_offset', 'lines'] },
  { table: 'leaf_titles', key: ['project_id', 'source', 'leaf_external_id'], verify: ['title'] },
  { table: 'api_keys', key: ['id'], verify: ['project_id', 'secret_hash', 'revoked_at'] },
  { table: 'jobs', key: ['id'], verify: ['kind', 'job_key', 'state', 'attempts'] },
  { table: 'message_enrichments', key: ['message_id', 'enricher'], verify: ['version', 'error'] },
  { table: 'message_labels', key: ['message_id', 'facet', 'label'], verify: ['session_id', 'rank'] },
  { table: 'message_terms', key: ['message_id', 'term'], verify: ['count'] },
  { table: 'term_documents', key: ['project_id', 'term'], verify: ['documents'] },
  { table: 'corpus_documents', key: ['project_id'], verify: ['documents'] },
  { table: 'alerts', key: ['id'], verify: ['project_id', 'kind', 'created_at'] },
  { table: 'runs', key: ['id'], verify: ['chain_id', 'project_id', 'status', 'exit_code', 'started_at'] },
  { table: 'crash_reports', key: ['id'], verify: ['run_id', 'signature'] },
  { table: 'training_files', key: ['id'], verify: ['project_id', 'name', 'updated_at'] },
  { table: 'training_file_sessions', key: ['file_id', 'session_id'], verify: ['added_at'] },
  { table: 'training_file_builds', key: ['file_id', 'version'], verify: ['digest'] },
  { table: 'checkpoints', key: ['id'], verify: ['project_id', 'seq', 'sha256', 'manifest_key'] },
  // Only the archive marks: the embedded store's report marks belong to aggregates rebuilt there.
  { table: 'read_marks', key: ['name', 'project_id'], verify: ['last_id'], where: "name LIKE 'archive.%'" },
  { table: 'archive_pending', key: ['message_id'], verify: ['project_id'] },
  { table: 'archive_revised', key: ['message_id'], verify: ['checkpoint_seq'] },
  { table: 'retention_runs', key: ['id'], verify: ['project_id', 'cutoff', 'messages'] },
];

/**
 * Tables left behind on purpose, by name or prefix, and why. Any other table in the source is
 * an error: a table nobody planned for would otherwise be lost without a word.
 */
const skippedTables: readonly { match: string; why: string }[] = [
  { match: 'schema_migrations', why: 'each store records its own schema' },
  { match: 'migration_progress', why: 'this command’s own resume marks' },
  { match: 'messages_fts', why: 'SQLite’s full-text index, rebuilt from the messages it receives' },
  { match: 'sqlite_', why: 'SQLite’s internal tables' },
  {
    match: 'message_stats',
    why: 'embedded report aggregates: the embedded store rebuilds them from the rows, Postgres counts the rows',
  },
  { match: 'label_stats', why: 'embedded report aggregate (see message_stats)' },
  { match: 'term_days', why: 'embedded report aggregate (see message_stats)' },
  { match: 'term_totals', why: 'embedded report aggregate (see message_stats)' },
  { match: 'usage_stats', why: 'embedded report aggregate (see message_stats)' },
  { match: 'checkpoint_leases', why: 'short-lived locks of running checkpoints' },
];

export function isSkipped(table: string): boolean {
  // A name ending in `_` is a prefix; any other also covers its own auxiliary tables (`messages_fts_data`).
  return skippedTables.some(
    ({ match }) => table === match || table.startsWith(match.endsWith('_') ? match : `${match}_`),
  );
}
