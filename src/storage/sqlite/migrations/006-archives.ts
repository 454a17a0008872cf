import type { Migration } from '../migrate.ts';

/**
 * Checkpoints, retention, report aggregates and alerts.
 *
 * - `checkpoints` index the immutable archive segments written to the blob store.
 * - `read_marks` remember the last message/raw record id a reader has consumed (the next
 *   checkpoint, the report aggregates), so each reads only what is new.
 * - `archive_pending` lists archived messages revised since (filled by a trigger, so every writer
 *   is covered); `archive_revised` names the checkpoint holding a revised message's latest version.
 * - Report aggregates: `message_stats` (messages per UTC day and author), `label_stats`
 *   (enrichment labels per day), `term_days` and `term_totals` (term counts), `usage_stats`
 *   (tokens per day and model). Reports catch them up from their read marks, so the write path
 *   pays nothing: triggers on `messages` or the label and term tables cost imports 2-3x
 *   (measured), so those tables have only UPDATE triggers; replaced labels and terms are taken
 *   out by report-stats.ts where enrichment replaces them. `usage` upserts are unaffected by
 *   triggers, so its changes are followed by UPDATE and DELETE triggers.
 */
export const archives: Migration = {
  version: 6,
  name: 'archives',
  sql: `
CREATE TABLE checkpoints (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  label TEXT,
  created_at INTEGER NOT NULL,
  message_from INTEGER NOT NULL,
  message_to INTEGER NOT NULL,
  raw_from INTEGER NOT NULL,
  raw_to INTEGER NOT NULL,
  messages INTEGER NOT NULL,
  raw_records INTEGER NOT NULL,
  first_timestamp INTEGER,
  last_timestamp INTEGER,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  manifest_key TEXT NOT NULL,
  verified_at INTEGER,
  UNIQUE (project_id, seq)
);

CREATE TABLE read_marks (
  name TEXT NOT NULL,
  project_id INTEGER NOT NULL,
  last_id INTEGER NOT NULL,
  PRIMARY KEY (name, project_id)
) WITHOUT ROWID;

CREATE TABLE archive_pending (
  message_id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL
);
CREATE INDEX archive_pending_project ON archive_pending (project_id, message_id);

CREATE TRIGGER messages_archive_pending AFTER UPDATE OF content_hash ON messages
WHEN OLD.content_hash IS NOT NEW.content_hash
BEGIN
  INSERT OR IGNORE INTO archive_pending (message_id, project_id) VALUES (NEW.id, NEW.project_id);
END;

CREATE TABLE archive_revised (
  message_id INTEGER PRIMARY KEY,
  checkpoint_seq INTEGER NOT NULL
);

CREATE TABLE retention_runs (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  cutoff INTEGER NOT NULL,
  verified_through INTEGER,
  messages INTEGER NOT NULL,
  raw_records INTEGER NOT NULL
);

CREATE TABLE message_stats (
  project_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  source TEXT NOT NULL,
  role TEXT NOT NULL,
  kind TEXT NOT NULL,
  speaker TEXT NOT NULL,
  model TEXT NOT NULL,
  messages INTEGER NOT NULL,
  PRIMARY KEY (project_id, day, source, role, kind, speaker, model)
) WITHOUT ROWID;

CREATE TRIGGER messages_stats_revised
AFTER UPDATE OF source, role, kind, speaker_name, model, timestamp ON messages
WHEN OLD.id <= COALESCE((SELECT last_id FROM read_marks WHERE name = 'stats' AND project_id = 0), 0)
  AND (OLD.source IS NOT NEW.source OR OLD.role IS NOT NEW.role OR OLD.kind IS NOT NEW.kind
    OR OLD.speaker_name IS NOT NEW.speaker_name OR OLD.model IS NOT NEW.model
    OR OLD.timestamp IS NOT NEW.timestamp)
BEGIN
  UPDATE message_stats SET messages = messages - 1
  WHERE project_id = OLD.project_id AND day = COALESCE((OLD.timestamp / 86400000) * 86400000, -1)
    AND source = OLD.source AND role = OLD.role AND kind = OLD.kind
    AND speaker = COALESCE(OLD.speaker_name, '') AND model = COALESCE(OLD.model, '');
  INSERT INTO message_stats (project_id, day, source, role, kind, speaker, model, messages)
  VALUES (NEW.project_id, COALESCE((NEW.timestamp / 86400000) * 86400000, -1), NEW.source, NEW.role, NEW.kind,
    COALESCE(NEW.speaker_name, ''), COALESCE(NEW.model, ''), 1)
  ON CONFLICT DO UPDATE SET messages = messages + 1;
END;

CREATE TABLE label_stats (
  project_id INTEGER NOT NULL,
  facet TEXT NOT NULL,
  day INTEGER NOT NULL,
  label TEXT NOT NULL,
  messages INTEGER NOT NULL,
  PRIMARY KEY (project_id, facet, day, label)
) WITHOUT ROWID;

CREATE TABLE term_days (
  project_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  term TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (project_id, day, term)
) WITHOUT ROWID;

CREATE TABLE term_totals (
  project_id INTEGER NOT NULL,
  term TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (project_id, term)
) WITHOUT ROWID;
CREATE INDEX term_totals_count ON term_totals (project_id, count);

CREATE TABLE usage_stats (
  project_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  source TEXT NOT NULL,
  model TEXT NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cache_creation_tokens INTEGER NOT NULL,
  cache_read_tokens INTEGER NOT NULL,
  responses INTEGER NOT NULL,
  PRIMARY KEY (project_id, day, source, model)
) WITHOUT ROWID;

CREATE TRIGGER usage_stats_changed AFTER UPDATE ON usage
WHEN OLD.rowid <= COALESCE((SELECT last_id FROM read_marks WHERE name = 'stats.usage' AND project_id = 0), 0)
BEGIN
  UPDATE usage_stats SET input_tokens = input_tokens - OLD.input_tokens, output_tokens = output_tokens - OLD.output_tokens,
    cache_creation_tokens = cache_creation_tokens - OLD.cache_creation_tokens,
    cache_read_tokens = cache_read_tokens - OLD.cache_read_tokens, responses = responses - 1
  WHERE project_id = OLD.project_id AND day = (OLD.timestamp / 86400000) * 86400000 AND source = OLD.source
    AND model = COALESCE(OLD.model, '');
  INSERT INTO usage_stats (project_id, day, source, model, input_tokens, output_tokens, cache_creation_tokens,
    cache_read_tokens, responses)
  VALUES (NEW.project_id, (NEW.timestamp / 86400000) * 86400000, NEW.source, COALESCE(NEW.model, ''), NEW.input_tokens,
    NEW.output_tokens, NEW.cache_creation_tokens, NEW.cache_read_tokens, 1)
  ON CONFLICT DO UPDATE SET input_tokens = input_tokens + excluded.input_tokens,
    output_tokens = output_tokens + excluded.output_tokens,
    cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens,
    cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, responses = responses + 1;
END;

CREATE TRIGGER usage_stats_removed AFTER DELETE ON usage
WHEN OLD.rowid <= COALESCE((SELECT last_id FROM read_marks WHERE name = 'stats.usage' AND project_id = 0), 0)
BEGIN
  UPDATE usage_stats SET input_tokens = input_tokens - OLD.input_tokens, output_tokens = output_tokens - OLD.output_tokens,
    cache_creation_tokens = cache_creation_tokens - OLD.cache_creation_tokens,
    cache_read_tokens = cache_read_tokens - OLD.cache_read_tokens, responses = responses - 1
  WHERE project_id = OLD.project_id AND day = (OLD.timestamp / 86400000) * 86400000 AND source = OLD.source
    AND model = COALESCE(OLD.model, '');
  UPDATE read_marks SET last_id = (SELECT COALESCE(MAX(rowid), 0) FROM usage)
  WHERE name = 'stats.usage' AND project_id = 0 AND last_id > (SELECT COALESCE(MAX(rowid), 0) FROM usage);
END;

CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  message TEXT NOT NULL,
  value REAL,
  threshold REAL,
  report TEXT,
  notified_at INTEGER,
  notify_error TEXT
);
CREATE INDEX alerts_project ON alerts (project_id, created_at);

CREATE INDEX messages_time ON messages (project_id, timestamp);
CREATE INDEX messages_speaker ON messages (project_id, speaker_name) WHERE speaker_name IS NOT NULL;
`,
};
