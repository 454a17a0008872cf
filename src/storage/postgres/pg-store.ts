import type pg from 'pg';
import type { ApiKey, ApiKeyScope } from '../../domain/api-key.ts';
import type { Block } from '../../domain/blocks.ts';
import { AgentlogError } from '../../domain/errors.ts';
import type { Message } from '../../domain/message.ts';
import type { Project } from '../../domain/project.ts';
import type { Session, SessionStatus } from '../../domain/session.ts';
import type { SessionTransition, SessionTransitionRequest } from '../../domain/session-transition.ts';
import type { Alert, NewAlert } from '../../domain/alert.ts';
import type { Checkpoint, RetentionOutcome } from '../../domain/checkpoint.ts';
import type { EnrichmentFacet, StoredEnrichment } from '../../domain/enrichment.ts';
import type { TrainingFile, TrainingFileBuild, TrainingFileMember } from '../../domain/training-file.ts';
import type { NewRun, Run, RunCapture, RunOutcome, StoredCrashReport } from '../../domain/run.ts';
import type {
  MessageScan,
  RunInsert,
  RunQuery,
  HistoryMessage,
  MessageCountRow,
  MessageSearch,
  MessageSearchHit,
  MessageSpan,
  ReportFacetQuery,
  ReportWindow,
  SpanRead,
  StatusCount,
  StoredVersionQuery,
  StoredVersions,
  TextSearch,
  TextSearchHit,
  UsageDayRow,
  EnrichmentScan,
  EnrichmentWrite,
  FacetCount,
  FacetQuery,
  TermQuery,
  TermTotals,
  JobQueue,
  MessagePage,
  MessageRevision,
  NewApiKey,
  SessionQuery,
  SessionStatusQuery,
  SourceFileState,
  Store,
  StoreCapabilities,
  StoredApiKey,
  UsageQuery,
  UsageRow,
  WriteBatch,
  WriteResult,
  NewTrainingFileBuild,
  SessionReadiness,
  TrainingFileCreate,
  TrainingFileMembership,
  TrainingFileMembershipOutcome,
  TrainingMessage,
  ArchivePlan,
  ArchivedMessage,
  ArchivedRawRecord,
  NewCheckpoint,
  RetentionRequest,
} from '../ports.ts';
import { migratePg } from './migrate.ts';
import { named } from './named-params.ts';
import { hashKey, writePgBatch } from './pg-batch-writer.ts';
import { createPgPool, pgUnavailable, type PgTarget } from './pg-pool.ts';
import { PgCheckpointQueries } from './pg-checkpoint-queries.ts';
import { PgDatasetQueries } from './pg-dataset-queries.ts';
import { PgArchiveQueries } from './pg-archive-queries.ts';
import { PgEnrichQueries } from './pg-enrich-queries.ts';
import { PgJobQueue } from './pg-job-queue.ts';
import { PgMemoryQueries } from './pg-memory-queries.ts';
import { PgReportQueries } from './pg-report-queries.ts';
import { PgRetentionQueries } from './pg-retention-queries.ts';
import { PgRunQueries } from './pg-run-queries.ts';
import { PgSearchQueries } from './pg-search-queries.ts';
import { selectPgStoredVersions } from './pg-stored-versions.ts';
import {
  messageColumns,
  sessionColumns,
  toMessage,
  toSession,
  type MessageRow,
  type SessionRow,
} from './pg-rows.ts';

const likeEscape = (text: string) => text.replaceAll(/[\\%_]/g, (c) => `\\${c}`);
const bucketMs = 15 * 60 * 1000;
const usageGroupExpr = {
  bucket: `((timestamp / ${bucketMs}) * ${bucketMs})::text`,
  model: `COALESCE(model, 'unknown')`,
  session: 'session_id',
} as const;

type KeyRow = {
  id: string;
  project_id: number;
  project_name: string;
  name: string | null;
  scopes: ApiKeyScope[];
  secret_hash: Buffer;
  created_at: number;
  revoked_at: number | null;
};
const toApiKey = (row: KeyRow): ApiKey => ({
  id: row.id,
  projectId: row.project_id,
  projectName: row.project_name,
  name: row.name,
  scopes: row.scopes,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});
const selectKeys = `SELECT k.*, p.name AS project_name FROM api_keys k JOIN projects p ON p.id = k.project_id`;

/**
 * The store on PostgreSQL, shared by stateless replicas: the whole port, each area's queries in
 * its own pg-*-queries.ts, every contract suite run as on SQLite.
 */
export class PgStore implements Store {
  readonly capabilities: StoreCapabilities = { fullTextSearch: true };
  readonly jobQueue: JobQueue;
  private readonly pool: pg.Pool;
  private readonly enrich: PgEnrichQueries;
  private readonly datasets: PgDatasetQueries;
  private readonly checkpoints: PgCheckpointQueries;
  private readonly retention: PgRetentionQueries;
  private readonly memory: PgMemoryQueries;
  private readonly search: PgSearchQueries;
  private readonly reports: PgReportQueries;
  private readonly runs: PgRunQueries;
  private readonly archives: PgArchiveQueries;

  private constructor(pool: pg.Pool) {
    this.pool = pool;
    this.jobQueue = new PgJobQueue(pool);
    this.enrich = new PgEnrichQueries(pool);
    this.datasets = new PgDatasetQueries(pool);
    this.checkpoints = new PgCheckpointQueries(pool);
    this.retention = new PgRetentionQueries(pool);
    this.memory = new PgMemoryQueries(pool);
    this.search = new PgSearchQueries(pool);
    this.reports = new PgReportQueries(pool);
    this.runs = new PgRunQueries(pool);
    this.archives = new PgArchiveQueries(pool);
  }

  /** Connects and brings the schema up to date (safe when several replicas start at once). */
  static async open(target: PgTarget): Promise<PgStore> {
    const pool = createPgPool(target);
    try {
      await migratePg(pool, target.schema);
    } catch (cause) {
      await pool.end().catch(() => {});
      if (cause instanceof AgentlogError) throw cause;
      throw pgUnavailable(target.url, cause);
    }
    return new PgStore(pool);
  }

  private async rows<T extends pg.QueryResultRow>(
    sql: string,
    params: Record<string, unknown> = {},
  ): Promise<T[]> {
    return (await this.pool.query<T>(named(sql, params))).rows;
  }

  async ensureProject(name: string): Promise<Project> {
    await this.rows(
      'INSERT INTO projects (name, created_at) VALUES (:name, :now) ON CONFLICT (name) DO NOTHING',
      {
        name,
        now: Date.now(),
      },
    );
    const [row] = await this.rows<{ id: number; name: string; created_at: number }>(
      'SELECT id, name, created_at FROM projects WHERE name = :name',
      { name },
    );
    if (row === undefined) throw new AgentlogError('INTERNAL', `Project ${name} vanished after its insert.`);
    return { id: row.id, name: row.name, createdAt: row.created_at };
  }

  write(batch: WriteBatch): Promise<WriteResult> {
    return writePgBatch(this.pool, batch);
  }

  async getSourceFile(projectId: number, source: string, path: string): Promise<SourceFileState | null> {
    const [row] = await this.rows<{
      size: number;
      mtime_ms: number;
      byte_offset: number;
      lines: number;
      head_hash: string;
      format: string;
    }>('SELECT * FROM source_files WHERE project_id = :projectId AND source = :source AND path = :path', {
      projectId,
      source,
      path,
    });
    if (row === undefined) return null;
    return {
      source,
      path,
      size: row.size,
      mtimeMs: row.mtime_ms,
      offset: row.byte_offset,
      lines: row.lines,
      headHash: row.head_hash,
      format: row.format,
    };
  }

  async listSessions(query: SessionQuery): Promise<Session[]> {
    const where = ['s.project_id = :project'];
    const params: Record<string, unknown> = { project: query.projectId };
    const add = (condition: string, values: Record<string, unknown>) => {
      where.push(condition);
      Object.assign(params, values);
    };
    if (query.source !== undefined) add('s.source = :source', { source: query.source });
    if (query.status !== undefined) add('s.status = :status', { status: query.status });
    if (query.since !== undefined) add('s.started_at >= :since', { since: query.since });
    if (query.until !== undefined) add('s.started_at < :until', { until: query.until });
    if (query.speaker !== undefined)
      add('EXISTS (SELECT 1 FROM messages m WHERE m.session_id = s.id AND m.speaker_name = :speaker)', {
        speaker: query.speaker,
      });
    if (query.text !== undefined && query.text.trim() !== '')
      add(
        `(s.id IN (SELECT m.session_id FROM messages m
            WHERE m.tsv @@ plainto_tsquery('simple', :text) AND m.project_id = :project)
          OR COALESCE(s.title, s.fallback_title) ILIKE :like ESCAPE '\\')`,
        { text: query.text, like: `%${likeEscape(query.text.trim())}%` },
      );
    if (query.after !== undefined)
      add(
        '(COALESCE(s.started_at, 0) < :afterStarted OR (COALESCE(s.started_at, 0) = :afterStarted AND s.id > :afterId))',
        { afterStarted: query.after.startedAt, afterId: query.after.id },
      );
    params.limit = query.limit ?? null;
    params.offset = query.offset ?? 0;
    const rows = await this.rows<SessionRow>(
      `SELECT ${sessionColumns} FROM sessions s WHERE ${where.join(' AND ')}
       ORDER BY COALESCE(s.started_at, 0) DESC, s.id COLLATE "C" LIMIT :limit OFFSET :offset`,
      params,
    );
    return rows.map(toSession);
  }

  async findSessions(projectId: number, ref: string): Promise<Session[]> {
    const exact = await this.rows<SessionRow>(
      `SELECT ${sessionColumns} FROM sessions s WHERE s.project_id = :projectId AND (s.id = :ref OR s.external_id = :ref)`,
      { projectId, ref },
    );
    if (exact.length > 0) return exact.map(toSession);
    const rows = await this.rows<SessionRow>(
      `SELECT ${sessionColumns} FROM sessions s WHERE s.project_id = :projectId
       AND (s.id LIKE :pattern ESCAPE '\\' OR s.external_id LIKE :pattern ESCAPE '\\') LIMIT 20`,
      { projectId, pattern: `${likeEscape(ref)}%` },
    );
    return rows.map(toSession);
  }

  async getSession(id: string): Promise<Session | null> {
    const [row] = await this.rows<SessionRow>(`SELECT ${sessionColumns} FROM sessions s WHERE s.id = :id`, {
      id,
    });
    return row === undefined ? null : toSession(row);
  }

  /** Read in pages of 500 by keyset, so a long session streams with flat memory. */
  async *messages(sessionId: string, page: MessagePage = {}): AsyncIterable<Message> {
    let after = page.after;
    let left = page.limit ?? Number.POSITIVE_INFINITY;
    while (left > 0) {
      const rows = await this.rows<MessageRow>(
        `SELECT ${messageColumns()} FROM messages WHERE session_id = :session
         AND (:ts::bigint IS NULL OR COALESCE(timestamp, 0) > :ts OR (COALESCE(timestamp, 0) = :ts
           AND (seq > :seq OR (seq = :seq AND id > :id))))
         ORDER BY COALESCE(timestamp, 0), seq, id LIMIT :limit`,
        {
          session: sessionId,
          ts: after?.timestamp ?? null,
          seq: after?.seq ?? null,
          id: after?.id ?? null,
          limit: Math.min(500, left),
        },
      );
      for (const row of rows) yield toMessage(row);
      const last = rows.at(-1);
      if (last === undefined || rows.length < Math.min(500, left)) return;
      left -= rows.length;
      after = { timestamp: last.timestamp ?? 0, seq: last.seq, id: last.id };
    }
  }

  async transitionSession(request: SessionTransitionRequest): Promise<SessionTransition | null> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ status: SessionStatus }>(
        'SELECT status FROM sessions WHERE id = $1 FOR UPDATE',
        [request.sessionId],
      );
      const from = rows[0]?.status;
      if (from === undefined || !request.from.includes(from)) {
        await client.query('ROLLBACK');
        return null;
      }
      await client.query('UPDATE sessions SET status = $1 WHERE id = $2', [request.to, request.sessionId]);
      await client.query(
        'INSERT INTO session_transitions (session_id, from_status, to_status, reason, at) VALUES ($1, $2, $3, $4, $5)',
        [request.sessionId, from, request.to, request.reason, request.at],
      );
      await client.query('COMMIT');
      return { sessionId: request.sessionId, from, to: request.to, reason: request.reason, at: request.at };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async sessionTransitions(sessionId: string): Promise<SessionTransition[]> {
    const rows = await this.rows<{
      from_status: SessionStatus;
      to_status: SessionStatus;
      reason: string;
      at: number;
    }>('SELECT * FROM session_transitions WHERE session_id = :sessionId ORDER BY id', { sessionId });
    return rows.map((r) => ({ sessionId, from: r.from_status, to: r.to_status, reason: r.reason, at: r.at }));
  }

  async sessionsInStatus(query: SessionStatusQuery): Promise<Session[]> {
    const rows = await this.rows<SessionRow>(
      `SELECT ${sessionColumns} FROM sessions s WHERE s.status = :status
         AND (:before::bigint IS NULL OR COALESCE(
           (SELECT MAX(m.timestamp) FROM messages m WHERE m.session_id = s.id), s.started_at) < :before)
         AND (:afterId::text IS NULL OR s.id COLLATE "C" > :afterId)
       ORDER BY s.id COLLATE "C" LIMIT :limit`,
      {
        status: query.status,
        before: query.lastActivityBefore ?? null,
        afterId: query.afterId ?? null,
        limit: query.limit,
      },
    );
    return rows.map(toSession);
  }

  async createApiKey(key: NewApiKey): Promise<ApiKey> {
    await this.rows(
      `INSERT INTO api_keys (id, project_id, name, scopes, secret_hash, created_at)
       VALUES (:id, :project, :name, :scopes::jsonb, :hash, :at)`,
      {
        id: key.id,
        project: key.projectId,
        name: key.name,
        scopes: JSON.stringify(key.scopes),
        hash: Buffer.from(key.secretHash),
        at: key.createdAt,
      },
    );
    const stored = await this.findApiKey(key.id);
    if (stored === null) throw new AgentlogError('INTERNAL', `API key ${key.id} vanished after its insert.`);
    const { secretHash: _, ...listing } = stored;
    return listing;
  }

  async findApiKey(id: string): Promise<StoredApiKey | null> {
    const [row] = await this.rows<KeyRow>(`${selectKeys} WHERE k.id = :id`, { id });
    return row === undefined ? null : { ...toApiKey(row), secretHash: new Uint8Array(row.secret_hash) };
  }

  async listApiKeys(projectId?: number): Promise<ApiKey[]> {
    const rows = await this.rows<KeyRow>(
      `${selectKeys} WHERE (:projectId::bigint IS NULL OR k.project_id = :projectId) ORDER BY k.created_at, k.id`,
      { projectId: projectId ?? null },
    );
    return rows.map(toApiKey);
  }

  async revokeApiKey(id: string, at: number): Promise<ApiKey | null> {
    await this.rows('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, :at) WHERE id = :id', { id, at });
    const [row] = await this.rows<KeyRow>(`${selectKeys} WHERE k.id = :id`, { id });
    return row === undefined ? null : toApiKey(row);
  }

  async rawRecord(projectId: number, source: string, hash: string): Promise<Uint8Array | null> {
    const [row] = await this.rows<{ data: Buffer }>(
      'SELECT data FROM raw_records WHERE project_id = :projectId AND source = :source AND hash = :hash',
      { projectId, source, hash: hashKey(hash) },
    );
    return row === undefined ? null : new Uint8Array(row.data);
  }

  async storedVersions(query: StoredVersionQuery): Promise<StoredVersions> {
    return selectPgStoredVersions(this.pool, query);
  }

  async usage(query: UsageQuery): Promise<UsageRow[]> {
    const rows = await this.rows<{ key: string; i: number; o: number; cc: number; cr: number; n: number }>(
      `SELECT ${usageGroupExpr[query.groupBy]} AS key, SUM(input_tokens) AS i, SUM(output_tokens) AS o,
         SUM(cache_creation_tokens) AS cc, SUM(cache_read_tokens) AS cr, COUNT(*) AS n
       FROM usage WHERE project_id = :project AND (:source::text IS NULL OR source = :source)
         AND timestamp >= :since AND timestamp < :until
       GROUP BY 1 ORDER BY (${usageGroupExpr[query.groupBy]}) COLLATE "C"`,
      {
        project: query.projectId,
        source: query.source ?? null,
        since: query.since ?? Number.MIN_SAFE_INTEGER,
        until: query.until ?? Number.MAX_SAFE_INTEGER,
      },
    );
    return rows.map((r) => ({
      key: r.key,
      inputTokens: r.i,
      outputTokens: r.o,
      cacheCreationTokens: r.cc,
      cacheReadTokens: r.cr,
      responses: r.n,
    }));
  }

  async counts(projectId: number): Promise<{ sessions: number; messages: number; rawRecords: number }> {
    const [row] = await this.rows<{ sessions: number; messages: number; raw: number }>(
      `SELECT (SELECT COUNT(*) FROM sessions WHERE project_id = :projectId) AS sessions,
         (SELECT COUNT(*) FROM messages WHERE project_id = :projectId) AS messages,
         (SELECT COUNT(*) FROM raw_records WHERE project_id = :projectId) AS raw`,
      { projectId },
    );
    return { sessions: row?.sessions ?? 0, messages: row?.messages ?? 0, rawRecords: row?.raw ?? 0 };
  }

  enrichments(messageIds: readonly number[]): Promise<Map<number, StoredEnrichment[]>> {
    return this.enrich.enrichments(messageIds);
  }

  facetCounts(query: FacetQuery): Promise<FacetCount[]> {
    return this.enrich.facetCounts(query);
  }

  termTotals(query: TermQuery): Promise<TermTotals> {
    return this.enrich.termTotals(query);
  }

  termDocuments(projectId: number, terms: readonly string[]) {
    return this.enrich.termDocuments(projectId, terms);
  }

  messagesToEnrich(scan: EnrichmentScan): AsyncIterable<Message> {
    return this.enrich.messagesToEnrich(scan);
  }

  writeEnrichments(projectId: number, items: readonly EnrichmentWrite[]): Promise<void> {
    return this.enrich.writeEnrichments(projectId, items);
  }

  scanMessages(scan: MessageScan): AsyncIterable<Message> {
    return this.archives.scanMessages(scan);
  }

  insertRun(run: NewRun): Promise<RunInsert> {
    return this.runs.insert(run);
  }

  updateRunCapture(id: string, capture: RunCapture): Promise<Run | null> {
    return this.runs.updateCapture(id, capture);
  }

  finishRun(id: string, outcome: RunOutcome): Promise<Run | null> {
    return this.runs.finish(id, outcome);
  }

  findRuns(projectId: number, ref: string): Promise<Run[]> {
    return this.runs.find(projectId, ref);
  }

  listRuns(query: RunQuery): Promise<Run[]> {
    return this.runs.list(query);
  }

  addCrashReport(report: StoredCrashReport): Promise<void> {
    return this.runs.addReport(report);
  }

  crashReports(runId: string): Promise<StoredCrashReport[]> {
    return this.runs.reports(runId);
  }

  spanMessagesDesc(span: MessageSpan, read: SpanRead): Promise<HistoryMessage[]> {
    return this.memory.spanDesc(span, read);
  }

  spanMessages(span: MessageSpan): AsyncIterable<Message> {
    return this.memory.spanAsc(span);
  }

  countSpanMessages(span: MessageSpan): Promise<number> {
    return this.memory.countSpan(span);
  }

  searchMessages(search: MessageSearch): Promise<MessageSearchHit[]> {
    return this.memory.search(search);
  }

  searchText(query: TextSearch): Promise<TextSearchHit[]> {
    return this.search.searchText(query);
  }

  messageCounts(window: ReportWindow): Promise<MessageCountRow[]> {
    return this.reports.messageCounts(window);
  }

  usageByDay(window: ReportWindow): Promise<UsageDayRow[]> {
    return this.reports.usageByDay(window);
  }

  sessionStatusCounts(window: ReportWindow): Promise<StatusCount[]> {
    return this.reports.sessionStatusCounts(window);
  }

  reportFacets(query: ReportFacetQuery): Promise<{ label: string; messages: number }[]> {
    return this.reports.reportFacets(query);
  }

  reportTerms(window: ReportWindow, limit: number): Promise<TermTotals> {
    return this.reports.reportTerms(window, limit);
  }

  addAlert(alert: NewAlert): Promise<Alert> {
    return this.reports.addAlert(alert);
  }

  listAlerts(projectId: number, limit: number): Promise<Alert[]> {
    return this.reports.listAlerts(projectId, limit);
  }

  noteAlertDelivery(id: number, outcome: { at: number; error: string | null }): Promise<void> {
    return this.reports.noteAlertDelivery(id, outcome);
  }

  async getMessage(projectId: number, id: number): Promise<Message | null> {
    const [row] = await this.rows<MessageRow>(
      `SELECT ${messageColumns()} FROM messages WHERE project_id = :projectId AND id = :id`,
      { projectId, id },
    );
    return row === undefined ? null : toMessage(row);
  }

  async findMessage(projectId: number, source: string, externalId: string): Promise<Message | null> {
    const [row] = await this.rows<MessageRow>(
      `SELECT ${messageColumns()} FROM messages WHERE project_id = :projectId AND source = :source
         AND external_id = :externalId`,
      { projectId, source, externalId },
    );
    return row === undefined ? null : toMessage(row);
  }

  async messageRevisions(messageId: number): Promise<MessageRevision[]> {
    const rows = await this.rows<{
      revised_at: number;
      content_hash: string;
      text: string;
      blocks: Block[];
      meta: Record<string, unknown>;
    }>('SELECT * FROM message_revisions WHERE message_id = :messageId ORDER BY id', { messageId });
    return rows.map((r) => ({
      messageId,
      replacedAt: r.revised_at,
      contentHash: r.content_hash,
      text: r.text,
      blocks: r.blocks,
      meta: r.meta,
    }));
  }

  planCheckpoint(projectId: number): Promise<ArchivePlan> {
    return this.checkpoints.plan(projectId);
  }

  archivedMessages(plan: ArchivePlan): AsyncIterable<ArchivedMessage> {
    return this.checkpoints.messages(plan);
  }

  archivedRawRecords(plan: ArchivePlan): AsyncIterable<ArchivedRawRecord> {
    return this.checkpoints.rawRecords(plan);
  }

  recordCheckpoint(checkpoint: NewCheckpoint): Promise<Checkpoint> {
    return this.checkpoints.record(checkpoint);
  }

  listCheckpoints(projectId: number): Promise<Checkpoint[]> {
    return this.checkpoints.list(projectId);
  }

  markCheckpointVerified(id: number, at: number): Promise<void> {
    return this.checkpoints.markVerified(id, at);
  }

  applyRetention(request: RetentionRequest): Promise<RetentionOutcome> {
    return this.retention.apply(request);
  }

  createTrainingFile(
    request: TrainingFileCreate,
  ): Promise<{ ok: true; file: TrainingFile } | { ok: false; conflict: 'name' }> {
    return this.datasets.create(request);
  }

  findTrainingFiles(projectId: number, ref: string): Promise<TrainingFile[]> {
    return this.datasets.find(projectId, ref);
  }

  listTrainingFiles(projectId: number): Promise<TrainingFile[]> {
    return this.datasets.list(projectId);
  }

  addTrainingFileSessions(request: TrainingFileMembership): Promise<TrainingFileMembershipOutcome> {
    return this.datasets.add(request);
  }

  removeTrainingFileSessions(request: TrainingFileMembership): Promise<TrainingFileMembershipOutcome> {
    return this.datasets.remove(request);
  }

  deleteTrainingFile(id: string): Promise<boolean> {
    return this.datasets.delete(id);
  }

  trainingFileSessions(fileId: string): AsyncIterable<TrainingFileMember> {
    return this.datasets.sessions(fileId);
  }

  trainingMessages(sessionId: string): Promise<TrainingMessage[]> {
    return this.datasets.messages(sessionId);
  }

  sessionReadiness(projectId: number, sessionIds: readonly string[]): Promise<SessionReadiness[]> {
    return this.datasets.readiness(projectId, sessionIds);
  }

  sessionTopLabels(
    sessionId: string,
    facets: readonly EnrichmentFacet[],
  ): Promise<Record<string, string | null>> {
    return this.datasets.topLabels(sessionId, facets);
  }

  recordTrainingFileBuild(build: NewTrainingFileBuild): Promise<TrainingFileBuild> {
    return this.datasets.recordBuild(build);
  }

  trainingFileBuilds(fileId: string): Promise<TrainingFileBuild[]> {
    return this.datasets.builds(fileId);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
