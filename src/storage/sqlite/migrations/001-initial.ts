import type { Migration } from '../migrate.ts';

export const initial: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE projects (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id),
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
  started_at INTEGER,
  ended_at INTEGER,
  status TEXT NOT NULL DEFAULT 'imported',
  message_count INTEGER NOT NULL DEFAULT 0,
  meta TEXT NOT NULL DEFAULT '{}',
  UNIQUE (project_id, source, external_id)
);
CREATE INDEX sessions_started ON sessions (project_id, started_at);
CREATE INDEX sessions_parent ON sessions (parent_session_id);

CREATE TABLE session_models (
  session_id TEXT NOT NULL,
  model TEXT NOT NULL,
  PRIMARY KEY (session_id, model)
) WITHOUT ROWID;

CREATE TABLE raw_records (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL,
  source TEXT NOT NULL,
  hash BLOB NOT NULL,
  record_type TEXT NOT NULL,
  session_id TEXT,
  line INTEGER NOT NULL,
  byte_offset INTEGER NOT NULL,
  data BLOB NOT NULL,
  UNIQUE (project_id, source, hash)
);

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL,
  session_id TEXT NOT NULL,
  source TEXT NOT NULL,
  external_id TEXT NOT NULL,
  parent_external_id TEXT,
  role TEXT NOT NULL,
  kind TEXT NOT NULL,
  speaker_name TEXT,
  speaker_role TEXT,
  text TEXT NOT NULL,
  blocks TEXT NOT NULL,
  model TEXT,
  response_id TEXT,
  input_tokens INTEGER,
  output_tokens INTEGER,
  cache_creation_tokens INTEGER,
  cache_read_tokens INTEGER,
  timestamp INTEGER,
  seq INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  raw_hash BLOB,
  meta TEXT NOT NULL DEFAULT '{}',
  UNIQUE (project_id, source, external_id)
);
CREATE INDEX messages_session ON messages (session_id, timestamp, seq);

CREATE TABLE message_revisions (
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages(id),
  revised_at INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  text TEXT NOT NULL,
  blocks TEXT NOT NULL,
  meta TEXT NOT NULL,
  raw_hash BLOB
);
CREATE INDEX message_revisions_message ON message_revisions (message_id);

CREATE VIRTUAL TABLE messages_fts USING fts5 (text, content = 'messages', content_rowid = 'id');

CREATE TABLE usage (
  project_id INTEGER NOT NULL,
  source TEXT NOT NULL,
  dedup_key TEXT NOT NULL,
  session_id TEXT NOT NULL,
  model TEXT,
  timestamp INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cache_creation_tokens INTEGER NOT NULL,
  cache_read_tokens INTEGER NOT NULL,
  total_tokens INTEGER NOT NULL,
  PRIMARY KEY (project_id, source, dedup_key)
);
CREATE INDEX usage_time ON usage (project_id, timestamp);

CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  media_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  data BLOB NOT NULL
);

CREATE TABLE source_files (
  project_id INTEGER NOT NULL,
  source TEXT NOT NULL,
  path TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  byte_offset INTEGER NOT NULL,
  lines INTEGER NOT NULL,
  head_hash TEXT NOT NULL,
  format TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (project_id, source, path)
);
`,
};
