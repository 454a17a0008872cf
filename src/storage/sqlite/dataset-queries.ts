import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { SessionStatus } from '../../domain/session.ts';
import {
  buildFromRow as toBuild,
  fileFromRow as toFile,
  selectFiles,
  trainingMessageFromTuple,
  type BuildRow,
  type FileRow,
  type MessageTuple,
} from '../dataset-rows.ts';
import type {
  NewTrainingFile,
  TrainingFile,
  TrainingFileBuild,
  TrainingFileMember,
} from '../../domain/training-file.ts';
import type {
  NewTrainingFileBuild,
  SessionReadiness,
  TrainingFileCreate,
  TrainingFileMembership,
  TrainingFileMembershipOutcome,
  TrainingMessage,
} from '../ports.ts';

/** SQLite allows 32766 bound values; lists of ids are bound in chunks far below that. */
const chunkSize = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += chunkSize) out.push(items.slice(i, i + chunkSize));
  return out;
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * Training files, their sessions and their builds. Membership changes are all-or-nothing: a
 * request naming a session already in the file (or, for removal, not in it) changes nothing and
 * names those sessions.
 */
export class DatasetQueries {
  private readonly db: DatabaseSync;
  private readonly messagesOf: StatementSync;
  private readonly indexedLabel: StatementSync;
  private readonly joinedLabel: StatementSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.messagesOf = db.prepare(
      `SELECT id, role, kind, speaker_name, speaker_role, response_id, content_hash, blocks,
         CASE WHEN blocks = '[]' THEN text ELSE '' END AS text
       FROM messages WHERE session_id = ? AND json_extract(meta, '$.rewound') IS NOT 1
       ORDER BY COALESCE(timestamp, 0), seq, id`,
    );
    this.messagesOf.setReturnArrays(true);
    // The same conditions as the partial index message_labels_session_top, so SQLite uses it.
    this.indexedLabel = db.prepare(
      `SELECT label, COUNT(*) AS n FROM message_labels
       WHERE session_id = ? AND facet = ? AND rank = 0 AND facet IN ('domain', 'tier')
       GROUP BY label ORDER BY n DESC, label LIMIT 1`,
    );
    this.joinedLabel = db.prepare(
      `SELECT l.label, COUNT(*) AS n FROM messages m JOIN message_labels l ON l.message_id = m.id
       WHERE m.session_id = ? AND l.facet = ? AND l.rank = 0
       GROUP BY l.label ORDER BY n DESC, l.label LIMIT 1`,
    );
  }

  create(request: TrainingFileCreate): { ok: true; file: TrainingFile } | { ok: false; conflict: 'name' } {
    const { file, sessionIds } = request;
    return this.transaction(() => {
      const taken = this.db
        .prepare('SELECT 1 FROM training_files WHERE project_id = ? AND name = ?')
        .get(file.projectId, file.name);
      if (taken !== undefined) return { ok: false, conflict: 'name' } as const;
      this.insertFile(file);
      this.insertMembers(file.id, [...new Set(sessionIds)], file.createdAt);
      return { ok: true, file: this.get(file.id)! } as const;
    });
  }

  private insertFile(file: NewTrainingFile): void {
    this.db
      .prepare(
        'INSERT INTO training_files (id, project_id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(file.id, file.projectId, file.name, file.description, file.createdAt, file.createdAt);
  }

  private insertMembers(fileId: string, sessionIds: readonly string[], at: number): void {
    const insert = this.db.prepare(
      'INSERT INTO training_file_sessions (file_id, session_id, added_at) VALUES (?, ?, ?)',
    );
    for (const id of sessionIds) insert.run(fileId, id, at);
  }

  get(id: string): TrainingFile | null {
    const row = this.db.prepare(`${selectFiles} WHERE f.id = ?`).get(id) as FileRow | undefined;
    return row ? toFile(row) : null;
  }

  find(projectId: number, ref: string): TrainingFile[] {
    const exact = this.db
      .prepare(`${selectFiles} WHERE f.project_id = ? AND (f.id = ? OR f.name = ?)`)
      .all(projectId, ref, ref) as FileRow[];
    if (exact.length > 0) return exact.map(toFile);
    const pattern = `${ref.replaceAll(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = this.db
      .prepare(`${selectFiles} WHERE f.project_id = ? AND f.id LIKE ? ESCAPE '\\' ORDER BY f.id LIMIT 20`)
      .all(projectId, pattern) as FileRow[];
    return rows.map(toFile);
  }

  list(projectId: number): TrainingFile[] {
    const rows = this.db
      .prepare(`${selectFiles} WHERE f.project_id = ? ORDER BY f.created_at DESC, f.id`)
      .all(projectId) as FileRow[];
    return rows.map(toFile);
  }

  add(request: TrainingFileMembership): TrainingFileMembershipOutcome {
    return this.transaction(() => {
      const wanted = [...new Set(request.sessionIds)];
      const present = this.members(request.fileId, wanted);
      if (present.length > 0) return { ok: false, sessions: present };
      this.insertMembers(request.fileId, wanted, request.at);
      return this.touched(request);
    });
  }

  remove(request: TrainingFileMembership): TrainingFileMembershipOutcome {
    return this.transaction(() => {
      const wanted = [...new Set(request.sessionIds)];
      const present = new Set(this.members(request.fileId, wanted));
      const missing = wanted.filter((id) => !present.has(id));
      if (missing.length > 0) return { ok: false, sessions: missing };
      const remove = this.db.prepare(
        'DELETE FROM training_file_sessions WHERE file_id = ? AND session_id = ?',
      );
      for (const id of wanted) remove.run(request.fileId, id);
      return this.touched(request);
    });
  }

  private touched(request: TrainingFileMembership): TrainingFileMembershipOutcome {
    this.db.prepare('UPDATE training_files SET updated_at = ? WHERE id = ?').run(request.at, request.fileId);
    return { ok: true, file: this.get(request.fileId)! };
  }

  /** Which of these sessions are in the file, in id order. */
  private members(fileId: string, sessionIds: readonly string[]): string[] {
    const found: string[] = [];
    for (const chunk of chunks(sessionIds)) {
      const rows = this.db
        .prepare(
          `SELECT session_id FROM training_file_sessions WHERE file_id = ? AND session_id IN (${marks(chunk.length)})`,
        )
        .all(fileId, ...chunk) as { session_id: string }[];
      for (const row of rows) found.push(row.session_id);
    }
    return found.sort();
  }

  delete(id: string): boolean {
    return this.transaction(() => {
      this.db.prepare('DELETE FROM training_file_sessions WHERE file_id = ?').run(id);
      this.db.prepare('DELETE FROM training_file_builds WHERE file_id = ?').run(id);
      return this.db.prepare('DELETE FROM training_files WHERE id = ?').run(id).changes > 0;
    });
  }

  /** The file's sessions in id order (the order builds read them in). */
  *sessions(fileId: string): Iterable<TrainingFileMember> {
    const statement = this.db.prepare(
      'SELECT session_id, added_at FROM training_file_sessions WHERE file_id = ? ORDER BY session_id',
    );
    for (const row of statement.iterate(fileId) as Iterable<{ session_id: string; added_at: number }>)
      yield { sessionId: row.session_id, addedAt: row.added_at };
  }

  /** A message counts as enriched once the ingest enrichers ran on it (their first, `hash`, is stored). */
  readiness(projectId: number, sessionIds: readonly string[]): SessionReadiness[] {
    const byId = new Map<string, SessionReadiness>();
    for (const chunk of chunks(sessionIds)) {
      const rows = this.db
        .prepare(
          `SELECT s.id, s.status, s.message_count,
             (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id
               AND NOT EXISTS (SELECT 1 FROM message_enrichments e WHERE e.message_id = m.id AND e.enricher = 'hash')) AS unenriched
           FROM sessions s WHERE s.project_id = ? AND s.id IN (${marks(chunk.length)})`,
        )
        .all(projectId, ...chunk) as {
        id: string;
        status: string;
        message_count: number;
        unenriched: number;
      }[];
      for (const row of rows)
        byId.set(row.id, {
          sessionId: row.id,
          status: row.status as SessionStatus,
          messages: row.message_count,
          unenriched: row.unenriched,
        });
    }
    return sessionIds.map(
      (id) => byId.get(id) ?? { sessionId: id, status: null, messages: 0, unenriched: 0 },
    );
  }

  /**
   * The label most of the session's messages carry in each facet (ties: the smaller label). The
   * domain and tier are read from a partial index of migration 011 (a few entries per session).
   */
  topLabels(sessionId: string, facets: readonly string[]): Record<string, string | null> {
    const out: Record<string, string | null> = Object.fromEntries(facets.map((f) => [f, null]));
    for (const facet of facets) {
      const indexed = facet === 'domain' || facet === 'tier';
      const row = (indexed ? this.indexedLabel : this.joinedLabel).get(sessionId, facet) as
        { label: string } | undefined;
      out[facet] = row?.label ?? null;
    }
    return out;
  }

  /**
   * Only the columns a build reads (about half the bytes of a message row), read as arrays, blocks
   * unparsed. Messages the agent rewound (Gemini's `$rewindTo`, Codex's rollbacks) are left out.
   */
  messages(sessionId: string): TrainingMessage[] {
    const rows = this.messagesOf.all(sessionId) as unknown as MessageTuple[];
    return rows.map(trainingMessageFromTuple);
  }

  recordBuild(build: NewTrainingFileBuild): TrainingFileBuild {
    return this.transaction(() => {
      const { v } = this.db
        .prepare('SELECT COALESCE(MAX(version), 0) AS v FROM training_file_builds WHERE file_id = ?')
        .get(build.fileId) as { v: number };
      const params: SQLInputValue[] = [
        build.fileId,
        v + 1,
        build.format,
        build.digest,
        build.createdAt,
        JSON.stringify(build.files),
        JSON.stringify(build.summary),
      ];
      this.db
        .prepare(
          'INSERT INTO training_file_builds (file_id, version, format, digest, created_at, files, summary) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(...params);
      return { ...build, version: v + 1 };
    });
  }

  /** Newest first. */
  builds(fileId: string): TrainingFileBuild[] {
    const rows = this.db
      .prepare('SELECT * FROM training_file_builds WHERE file_id = ? ORDER BY version DESC')
      .all(fileId) as BuildRow[];
    return rows.map(toBuild);
  }

  private transaction<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }
}
