import type { PgMigration } from '../migrate.ts';

/**
 * Checkpoints and retention, as SQLite's 006 without its report aggregates (reports count the rows
 * here). `read_marks` hold the last message and raw record id archived per project;
 * `archive_pending` lists archived messages revised since (a trigger covers every writer);
 * `archive_revised` names the checkpoint holding a revised message's latest version.
 * `checkpoint_leases` keep replicas from writing a project's checkpoint at the same time.
 */
export const archives: PgMigration = {
  version: 12,
  name: 'archives',
  sql: `
CREATE TABLE checkpoints (
  id BIGSERIAL PRIMARY KEY,
  project_id BIGINT NOT NULL,
  seq INTEGER NOT NULL,
  label TEXT,
  created_at BIGINT NOT NULL,
  message_from BIGINT NOT NULL,
  message_to BIGINT NOT NULL,
  raw_from BIGINT NOT NULL,
  raw_to BIGINT NOT NULL,
  messages BIGINT NOT NULL,
  raw_records BIGINT NOT NULL,
  first_timestamp BIGINT,
  last_timestamp BIGINT,
  bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  manifest_key TEXT NOT NULL,
  verified_at BIGINT,
  UNIQUE (project_id, seq)
);

CREATE TABLE read_marks (
  name TEXT NOT NULL,
  project_id BIGINT NOT NULL,
  last_id BIGINT NOT NULL,
  PRIMARY KEY (name, project_id)
);

CREATE TABLE checkpoint_leases (
  project_id BIGINT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);

CREATE TABLE archive_pending (
  message_id BIGINT PRIMARY KEY,
  project_id BIGINT NOT NULL
);
CREATE INDEX archive_pending_project ON archive_pending (project_id, message_id);

CREATE FUNCTION archive_pending_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO archive_pending (message_id, project_id) VALUES (NEW.id, NEW.project_id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER messages_archive_pending AFTER UPDATE OF content_hash ON messages
FOR EACH ROW WHEN (OLD.content_hash IS DISTINCT FROM NEW.content_hash)
EXECUTE FUNCTION archive_pending_mark();

CREATE TABLE archive_revised (
  message_id BIGINT PRIMARY KEY,
  checkpoint_seq INTEGER NOT NULL
);

CREATE TABLE retention_runs (
  id BIGSERIAL PRIMARY KEY,
  project_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  cutoff BIGINT NOT NULL,
  verified_through INTEGER,
  messages BIGINT NOT NULL,
  raw_records BIGINT NOT NULL
);
`,
};
