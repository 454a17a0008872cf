import type { PgMigration } from '../migrate.ts';

/**
 * The core of the store, as in SQLite's 001-003: projects, sessions, raw records, messages with
 * their revisions, usage (with its copy rules), blobs, source file states, API keys and session
 * transitions. Full-text search is a generated tsvector ('simple': no stemming, like FTS5's
 * default tokenizer) with a GIN index.
 */
export const core: PgMigration = {
  version: 2,
  name: 'core',
  sql: `
CREATE TABLE projects (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  project_id BIGINT NOT NULL REFERENCES projects(id),
  source TEXT NOT NULL,
  external_id TEXT NOT NULL,
  parent_session_id TEXT,
  parent_tool_call_id TEXT,
  agent_id TEXT,
  forked_from_session_id TEXT,
  title TEXT,
  fallback_title TEXT,
  cwd TEXT,
  git_branch TEXT,
  agent_version TEXT,
  started_at BIGINT,
  ended_at BIGINT,
  status TEXT NOT NULL DEFAULT 'imported',
  message_count INTEGER NOT NULL DEFAULT 0,
  meta JSONB NOT NULL DEFAULT '{}',
  UNIQUE (project_id, source, external_id)
);
CREATE INDEX sessions_started ON sessions (project_id, started_at);
CREATE INDEX sessions_parent ON sessions (parent_session_id);
CREATE INDEX sessions_status ON sessions (project_id, status);

CREATE TABLE session_models (session_id TEXT NOT NULL, model TEXT NOT NULL, PRIMARY KEY (session_id, model));

CREATE TABLE raw_records (
  id BIGSERIAL PRIMARY KEY,
  project_id BIGINT NOT NULL,
  source TEXT NOT NULL,
  hash BYTEA NOT NULL,
  record_type TEXT NOT NULL,
  session_id TEXT,
  line INTEGER NOT NULL,
  byte_offset BIGINT NOT NULL,
  data BYTEA NOT NULL,
  UNIQUE (project_id, source, hash)
);

CREATE TABLE messages (
  id BIGSERIAL PRIMARY KEY,
  project_id BIGINT NOT NULL,
  session_id TEXT NOT NULL,
  source TEXT NOT NULL,
  external_id TEXT NOT NULL,
  parent_external_id TEXT,
  role TEXT NOT NULL,
  kind TEXT NOT NULL,
  speaker_name TEXT,
  speaker_role TEXT,
  text TEXT NOT NULL,
  blocks JSONB NOT NULL,
  model TEXT,
  response_id TEXT,
  input_tokens BIGINT,
  output_tokens BIGINT,
  cache_creation_tokens BIGINT,
  cache_read_tokens BIGINT,
  timestamp BIGINT,
  seq INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  raw_hash BYTEA,
  meta JSONB NOT NULL DEFAULT '{}',
  tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED,
  UNIQUE (project_id, source, external_id)
);
CREATE INDEX messages_session ON messages (session_id, (COALESCE(timestamp, 0)), seq, id);
CREATE INDEX messages_tsv ON messages USING GIN (tsv);

CREATE TABLE message_revisions (
  id BIGSERIAL PRIMARY KEY,
  message_id BIGINT NOT NULL REFERENCES messages(id),
  revised_at BIGINT NOT NULL,
  content_hash TEXT NOT NULL,
  text TEXT NOT NULL,
  blocks JSONB NOT NULL,
  meta JSONB NOT NULL,
  raw_hash BYTEA
);
CREATE INDEX message_revisions_message ON message_revisions (message_id);

CREATE TABLE usage (
  project_id BIGINT NOT NULL,
  source TEXT NOT NULL,
  dedup_key TEXT NOT NULL,
  session_id TEXT NOT NULL,
  model TEXT,
  timestamp BIGINT NOT NULL,
  input_tokens BIGINT NOT NULL,
  output_tokens BIGINT NOT NULL,
  cache_creation_tokens BIGINT NOT NULL,
  cache_read_tokens BIGINT NOT NULL,
  total_tokens BIGINT NOT NULL,
  secondary INTEGER NOT NULL DEFAULT 0,
  weight DOUBLE PRECISION NOT NULL DEFAULT 0,
  PRIMARY KEY (project_id, source, dedup_key)
);
CREATE INDEX usage_time ON usage (project_id, timestamp);

CREATE TABLE usage_replay_groups (
  project_id BIGINT NOT NULL,
  source TEXT NOT NULL,
  group_key TEXT NOT NULL,
  has_primary INTEGER NOT NULL DEFAULT 0,
  secondary_key TEXT,
  PRIMARY KEY (project_id, source, group_key)
);
CREATE INDEX usage_replay_groups_secondary ON usage_replay_groups (project_id, source, secondary_key)
  WHERE secondary_key IS NOT NULL;

CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, media_type TEXT NOT NULL, size BIGINT NOT NULL, data BYTEA NOT NULL);

CREATE TABLE source_files (
  project_id BIGINT NOT NULL,
  source TEXT NOT NULL,
  path TEXT NOT NULL,
  size BIGINT NOT NULL,
  mtime_ms DOUBLE PRECISION NOT NULL,
  byte_offset BIGINT NOT NULL,
  lines BIGINT NOT NULL,
  head_hash TEXT NOT NULL,
  format TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (project_id, source, path)
);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  project_id BIGINT NOT NULL REFERENCES projects(id),
  name TEXT,
  scopes JSONB NOT NULL,
  secret_hash BYTEA NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX api_keys_project ON api_keys (project_id);

CREATE TABLE session_transitions (
  id BIGSERIAL PRIMARY KEY,
  session_id TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  reason TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX session_transitions_session ON session_transitions (session_id, id);
`,
};
