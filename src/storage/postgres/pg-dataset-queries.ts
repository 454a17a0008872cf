import type pg from 'pg';
import type { SessionStatus } from '../../domain/session.ts';
import type { TrainingFile, TrainingFileBuild, TrainingFileMember } from '../../domain/training-file.ts';
import type {
  NewTrainingFileBuild,
  SessionReadiness,
  TrainingFileCreate,
  TrainingFileMembership,
  TrainingFileMembershipOutcome,
  TrainingMessage,
} from '../ports.ts';
import { AgentlogError } from '../../domain/errors.ts';
import {
  buildFromRow as toBuild,
  fileFromRow as toFile,
  selectFiles,
  trainingMessageFromTuple,
  type BuildRow,
  type FileRow,
  type MessageTuple,
} from '../dataset-rows.ts';
import { named } from './named-params.ts';
import { inPgTransaction, pgQueries, type PgTx } from './pg-tx.ts';

const memberPage = 1000;

/**
 * Training files, their sessions and their builds on PostgreSQL. A change to a file's membership
 * or builds first locks the file's row, so replicas changing one file take turns: membership stays
 * all-or-nothing and build versions stay consecutive.
 */
export class PgDatasetQueries {
  private readonly pool: pg.Pool;
  private readonly db: PgTx;

  constructor(pool: pg.Pool) {
    this.pool = pool;
    this.db = pgQueries(pool);
  }

  create(
    request: TrainingFileCreate,
  ): Promise<{ ok: true; file: TrainingFile } | { ok: false; conflict: 'name' }> {
    const { file, sessionIds } = request;
    return inPgTransaction(this.pool, async (tx) => {
      const inserted = await tx.q(
        `INSERT INTO training_files (id, project_id, name, description, created_at, updated_at)
         VALUES (:id, :projectId, :name, :description, :at, :at)
         ON CONFLICT (project_id, name) DO NOTHING RETURNING id`,
        { ...file, at: file.createdAt },
      );
      if (inserted.length === 0) return { ok: false, conflict: 'name' } as const;
      await insertMembers(tx, file.id, [...new Set(sessionIds)], file.createdAt);
      return { ok: true, file: (await getFile(tx, file.id))! } as const;
    });
  }

  async find(projectId: number, ref: string): Promise<TrainingFile[]> {
    const exact = await this.db.q<FileRow>(
      `${selectFiles} WHERE f.project_id = :projectId AND (f.id = :ref OR f.name = :ref)`,
      { projectId, ref },
    );
    if (exact.length > 0) return exact.map(toFile);
    const rows = await this.db.q<FileRow>(
      `${selectFiles} WHERE f.project_id = :projectId AND f.id LIKE :pattern ESCAPE '\\'
       ORDER BY f.id COLLATE "C" LIMIT 20`,
      { projectId, pattern: `${ref.replaceAll(/[\\%_]/g, (c) => `\\${c}`)}%` },
    );
    return rows.map(toFile);
  }

  async list(projectId: number): Promise<TrainingFile[]> {
    const rows = await this.db.q<FileRow>(
      `${selectFiles} WHERE f.project_id = :projectId ORDER BY f.created_at DESC, f.id COLLATE "C"`,
      { projectId },
    );
    return rows.map(toFile);
  }

  add(request: TrainingFileMembership): Promise<TrainingFileMembershipOutcome> {
    return inPgTransaction(this.pool, async (tx) => {
      await lockFile(tx, request.fileId);
      const wanted = [...new Set(request.sessionIds)];
      const present = await members(tx, request.fileId, wanted);
      if (present.length > 0) return { ok: false, sessions: present };
      await insertMembers(tx, request.fileId, wanted, request.at);
      return touched(tx, request);
    });
  }

  remove(request: TrainingFileMembership): Promise<TrainingFileMembershipOutcome> {
    return inPgTransaction(this.pool, async (tx) => {
      await lockFile(tx, request.fileId);
      const wanted = [...new Set(request.sessionIds)];
      const present = new Set(await members(tx, request.fileId, wanted));
      const missing = wanted.filter((id) => !present.has(id));
      if (missing.length > 0) return { ok: false, sessions: missing };
      await tx.q('DELETE FROM training_file_sessions WHERE file_id = :fileId AND session_id = ANY(:ids)', {
        fileId: request.fileId,
        ids: wanted,
      });
      return touched(tx, request);
    });
  }

  delete(id: string): Promise<boolean> {
    return inPgTransaction(this.pool, async (tx) => {
      await tx.q('DELETE FROM training_file_sessions WHERE file_id = :id', { id });
      await tx.q('DELETE FROM training_file_builds WHERE file_id = :id', { id });
      return (await tx.q('DELETE FROM training_files WHERE id = :id RETURNING id', { id })).length > 0;
    });
  }

  /** The file's sessions in id order (the order builds read them in), in keyset pages. */
  async *sessions(fileId: string): AsyncIterable<TrainingFileMember> {
    let after: string | null = null;
    for (;;) {
      const rows: { session_id: string; added_at: number }[] = await this.db.q(
        `SELECT session_id, added_at FROM training_file_sessions
         WHERE file_id = :fileId AND (:after::text IS NULL OR session_id COLLATE "C" > :after)
         ORDER BY session_id COLLATE "C" LIMIT :limit`,
        { fileId, after, limit: memberPage },
      );
      for (const row of rows) yield { sessionId: row.session_id, addedAt: row.added_at };
      if (rows.length < memberPage) return;
      after = rows.at(-1)!.session_id;
    }
  }

  /** A message counts as enriched once the ingest enrichers ran on it (their first, `hash`, is stored). */
  async readiness(projectId: number, sessionIds: readonly string[]): Promise<SessionReadiness[]> {
    const rows = await this.db.q<{
      id: string;
      status: SessionStatus;
      message_count: number;
      unenriched: number;
    }>(
      `SELECT s.id, s.status, s.message_count,
         (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id AND NOT EXISTS
           (SELECT 1 FROM message_enrichments e WHERE e.message_id = m.id AND e.enricher = 'hash')) AS unenriched
       FROM sessions s WHERE s.project_id = :projectId AND s.id = ANY(:ids)`,
      { projectId, ids: [...new Set(sessionIds)] },
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return sessionIds.map((id) => {
      const row = byId.get(id);
      return row === undefined
        ? { sessionId: id, status: null, messages: 0, unenriched: 0 }
        : { sessionId: id, status: row.status, messages: row.message_count, unenriched: row.unenriched };
    });
  }

  /** The label most of the session's messages carry (rank 0) in each facet; ties: the smaller label. */
  async topLabels(sessionId: string, facets: readonly string[]): Promise<Record<string, string | null>> {
    const rows = await this.db.q<{ facet: string; label: string }>(
      `SELECT DISTINCT ON (facet) facet, label FROM message_labels
       WHERE session_id = :sessionId AND facet = ANY(:facets) AND rank = 0
       GROUP BY facet, label ORDER BY facet, COUNT(*) DESC, label COLLATE "C"`,
      { sessionId, facets: [...facets] },
    );
    const found = new Map(rows.map((r) => [r.facet, r.label]));
    return Object.fromEntries(facets.map((f) => [f, found.get(f) ?? null]));
  }

  /**
   * Only the columns a build reads, as arrays (no per-row objects), blocks as their JSON text.
   * Messages the agent rewound are left out.
   */
  async messages(sessionId: string): Promise<TrainingMessage[]> {
    const { rows } = await this.pool.query<MessageTuple>({
      ...named(
        `SELECT id, role, kind, speaker_name, speaker_role, response_id, content_hash, blocks::text,
           CASE WHEN blocks::text = '[]' THEN text ELSE '' END
         FROM messages WHERE session_id = :sessionId AND (meta->>'rewound') IS DISTINCT FROM 'true'
         ORDER BY COALESCE(timestamp, 0), seq, id`,
        { sessionId },
      ),
      rowMode: 'array',
    });
    return rows.map(trainingMessageFromTuple);
  }

  recordBuild(build: NewTrainingFileBuild): Promise<TrainingFileBuild> {
    return inPgTransaction(this.pool, async (tx) => {
      await lockFile(tx, build.fileId);
      const [row] = await tx.q<{ version: number }>(
        `INSERT INTO training_file_builds (file_id, version, format, digest, created_at, files, summary)
         SELECT :fileId, COALESCE(MAX(version), 0) + 1, :format, :digest, :createdAt, :files, :summary
         FROM training_file_builds WHERE file_id = :fileId
         RETURNING version`,
        { ...build, files: JSON.stringify(build.files), summary: JSON.stringify(build.summary) },
      );
      return { ...build, version: row!.version };
    });
  }

  async builds(fileId: string): Promise<TrainingFileBuild[]> {
    const rows = await this.db.q<BuildRow>(
      'SELECT * FROM training_file_builds WHERE file_id = :fileId ORDER BY version DESC',
      { fileId },
    );
    return rows.map(toBuild);
  }
}

async function getFile(tx: PgTx, id: string): Promise<TrainingFile | null> {
  const [row] = await tx.q<FileRow>(`${selectFiles} WHERE f.id = :id`, { id });
  return row === undefined ? null : toFile(row);
}

/** Takes the file's row lock for the rest of the transaction (a file deleted meanwhile is NOT_FOUND). */
async function lockFile(tx: PgTx, id: string): Promise<void> {
  const rows = await tx.q('SELECT 1 FROM training_files WHERE id = :id FOR UPDATE', { id });
  if (rows.length === 0)
    throw new AgentlogError('NOT_FOUND', `No training file ${id}: it was deleted meanwhile.`, {
      hint: 'See `npx agentlog dataset list`.',
    });
}

async function insertMembers(
  tx: PgTx,
  fileId: string,
  sessionIds: readonly string[],
  at: number,
): Promise<void> {
  if (sessionIds.length === 0) return;
  await tx.q(
    `INSERT INTO training_file_sessions (file_id, session_id, added_at)
     SELECT :fileId, id, :at FROM unnest(:ids::text[]) AS id`,
    { fileId, at, ids: sessionIds },
  );
}

/** Which of these sessions are in the file, in id order. */
async function members(tx: PgTx, fileId: string, sessionIds: readonly string[]): Promise<string[]> {
  const rows = await tx.q<{ session_id: string }>(
    `SELECT session_id FROM training_file_sessions WHERE file_id = :fileId AND session_id = ANY(:ids)
     ORDER BY session_id COLLATE "C"`,
    { fileId, ids: sessionIds },
  );
  return rows.map((r) => r.session_id);
}

async function touched(tx: PgTx, request: TrainingFileMembership): Promise<TrainingFileMembershipOutcome> {
  await tx.q('UPDATE training_files SET updated_at = :at WHERE id = :fileId', { ...request });
  return { ok: true, file: (await getFile(tx, request.fileId))! };
}
