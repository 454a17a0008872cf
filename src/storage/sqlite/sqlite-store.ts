import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { ApiKey } from '../../domain/api-key.ts';
import type { StoredEnrichment } from '../../domain/enrichment.ts';
import type { Message } from '../../domain/message.ts';
import type { Project } from '../../domain/project.ts';
import type { NewRun, Run, RunCapture, RunOutcome, StoredCrashReport } from '../../domain/run.ts';
import type { Session } from '../../domain/session.ts';
import type { SessionTransition, SessionTransitionRequest } from '../../domain/session-transition.ts';
import type {
  EnrichmentScan,
  EnrichmentWrite,
  FacetCount,
  FacetQuery,
  JobQueue,
  HistoryMessage,
  MessagePage,
  MessageRevision,
  MessageSearch,
  MessageSearchHit,
  MessageSpan,
  NewApiKey,
  RunInsert,
  RunQuery,
  SessionQuery,
  SessionStatusQuery,
  SourceFileState,
  SpanRead,
  Store,
  StoreCapabilities,
  StoredApiKey,
  TermQuery,
  TermTotals,
  UsageQuery,
  UsageRow,
  WriteBatch,
  WriteResult,
} from '../ports.ts';
import { BatchWriter } from './batch-writer.ts';
import type { EnrichmentFacet } from '../../domain/enrichment.ts';
import type { TrainingFile, TrainingFileBuild, TrainingFileMember } from '../../domain/training-file.ts';
import type {
  NewTrainingFileBuild,
  SessionReadiness,
  TrainingFileCreate,
  TrainingFileMembership,
  TrainingFileMembershipOutcome,
  TrainingMessage,
} from '../ports.ts';
import { DatasetQueries } from './dataset-queries.ts';
import type { Alert, NewAlert } from '../../domain/alert.ts';
import type { Checkpoint, RetentionOutcome } from '../../domain/checkpoint.ts';
import type {
  ArchivedMessage,
  ArchivedRawRecord,
  ArchivePlan,
  MessageCountRow,
  MessageScan,
  NewCheckpoint,
  ReportFacetQuery,
  ReportWindow,
  RetentionRequest,
  StatusCount,
  StoredVersionQuery,
  StoredVersions,
  TextSearch,
  TextSearchHit,
  UsageDayRow,
} from '../ports.ts';
import * as alertQueries from './alert-queries.ts';
import * as archiveQueries from './archive-queries.ts';
import * as reportQueries from './report-queries.ts';
import { applyRetention } from './retention-queries.ts';
import { searchText } from './search-queries.ts';
import { EnrichQueries } from './enrich-queries.ts';
import { hashKey } from './hash-key.ts';
import { SqliteJobQueue } from './job-queries.ts';
import { KeyQueries } from './key-queries.ts';
import { MemoryQueries } from './memory-queries.ts';
import { selectSessionsInStatus } from './lifecycle-queries.ts';
import { migrate } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { openDatabase } from './open-database.ts';
import { toSession, type SessionRow } from './rows.ts';
import { RunQueries } from './run-queries.ts';
import { selectUsage } from './usage-queries.ts';
import { selectStoredVersions } from './stored-versions.ts';
import {
  applyTransition,
  selectMessages,
  selectSessions,
  selectTransitions,
  sessionColumns,
} from './session-queries.ts';

export class SqliteStore implements Store {
  readonly capabilities: StoreCapabilities = { fullTextSearch: true };
  private readonly db: DatabaseSync;
  private readonly writer: BatchWriter;
  private readonly keys: KeyQueries;
  private readonly memory: MemoryQueries;
  private readonly runs: RunQueries;
  private readonly enrich: EnrichQueries;
  private readonly datasets: DatasetQueries;
  private sessionById: StatementSync | null = null;
  /** The job queue, in the same database (and connection) as the data it works on. */
  readonly jobQueue: JobQueue;

  constructor(path: string) {
    this.db = openDatabase(path);
    try {
      migrate(this.db, migrations);
    } catch (error) {
      // A store too new or a failed upgrade: let go of the file before saying so.
      this.db.close();
      throw error;
    }
    this.writer = new BatchWriter(this.db);
    this.keys = new KeyQueries(this.db);
    this.memory = new MemoryQueries(this.db);
    this.runs = new RunQueries(this.db);
    this.enrich = new EnrichQueries(this.db);
    this.datasets = new DatasetQueries(this.db);
    this.jobQueue = new SqliteJobQueue(this.db);
  }

  async ensureProject(name: string): Promise<Project> {
    const select = this.db.prepare('SELECT id, name, created_at FROM projects WHERE name = ?');
    type Row = { id: number; name: string; created_at: number };
    // Read first: an insert takes the write lock even when it adds nothing, and would make every
    // read-only command wait behind a running import or server.
    let row = select.get(name) as Row | undefined;
    if (row === undefined) {
      this.db
        .prepare('INSERT INTO projects (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING')
        .run(name, Date.now());
      row = select.get(name) as Row;
    }
    return { id: row.id, name: row.name, createdAt: row.created_at };
  }

  async write(batch: WriteBatch): Promise<WriteResult> {
    return this.writer.write(batch);
  }

  async getSourceFile(projectId: number, source: string, path: string): Promise<SourceFileState | null> {
    const row = this.db
      .prepare('SELECT * FROM source_files WHERE project_id = ? AND source = ? AND path = ?')
      .get(projectId, source, path) as
      | {
          size: number;
          mtime_ms: number;
          byte_offset: number;
          lines: number;
          head_hash: string;
          format: string;
        }
      | undefined;
    if (!row) return null;
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
    return selectSessions(this.db, query);
  }

  async findSessions(projectId: number, ref: string): Promise<Session[]> {
    const exact = this.db
      .prepare(
        `SELECT ${sessionColumns} FROM sessions s WHERE s.project_id = ? AND (s.id = ? OR s.external_id = ?)`,
      )
      .all(projectId, ref, ref) as SessionRow[];
    if (exact.length > 0) return exact.map(toSession);
    const pattern = `${ref.replaceAll(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = this.db
      .prepare(
        `SELECT ${sessionColumns} FROM sessions s WHERE s.project_id = ?
         AND (s.id LIKE ? ESCAPE '\\' OR s.external_id LIKE ? ESCAPE '\\') LIMIT 20`,
      )
      .all(projectId, pattern, pattern) as SessionRow[];
    return rows.map(toSession);
  }

  async getSession(id: string): Promise<Session | null> {
    // Prepared once: memory and the server read a session on every request.
    this.sessionById ??= this.db.prepare(`SELECT ${sessionColumns} FROM sessions s WHERE s.id = ?`);
    const row = this.sessionById.get(id) as SessionRow | undefined;
    return row ? toSession(row) : null;
  }

  async *messages(sessionId: string, page?: MessagePage): AsyncIterable<Message> {
    yield* selectMessages(this.db, sessionId, page);
  }

  async transitionSession(request: SessionTransitionRequest): Promise<SessionTransition | null> {
    return applyTransition(this.db, request);
  }

  async sessionTransitions(sessionId: string): Promise<SessionTransition[]> {
    return selectTransitions(this.db, sessionId);
  }

  async sessionsInStatus(query: SessionStatusQuery): Promise<Session[]> {
    return selectSessionsInStatus(this.db, query);
  }

  async createApiKey(key: NewApiKey): Promise<ApiKey> {
    return this.keys.create(key);
  }

  async findApiKey(id: string): Promise<StoredApiKey | null> {
    return this.keys.find(id);
  }

  async listApiKeys(projectId?: number): Promise<ApiKey[]> {
    return this.keys.list(projectId);
  }

  async revokeApiKey(id: string, at: number): Promise<ApiKey | null> {
    return this.keys.revokeKey(id, at);
  }

  async rawRecord(projectId: number, source: string, hash: string): Promise<Uint8Array | null> {
    const row = this.db
      .prepare('SELECT data FROM raw_records WHERE project_id = ? AND source = ? AND hash = ?')
      .get(projectId, source, hashKey(hash)) as { data: Uint8Array } | undefined;
    return row?.data ?? null;
  }

  async storedVersions(query: StoredVersionQuery): Promise<StoredVersions> {
    return selectStoredVersions(this.db, query);
  }

  async usage(query: UsageQuery): Promise<UsageRow[]> {
    return selectUsage(this.db, query);
  }

  async counts(projectId: number): Promise<{ sessions: number; messages: number; rawRecords: number }> {
    const one = (sql: string) => (this.db.prepare(sql).get(projectId) as { n: number }).n;
    return {
      sessions: one('SELECT COUNT(*) AS n FROM sessions WHERE project_id = ?'),
      messages: one('SELECT COUNT(*) AS n FROM messages WHERE project_id = ?'),
      rawRecords: one('SELECT COUNT(*) AS n FROM raw_records WHERE project_id = ?'),
    };
  }

  async enrichments(messageIds: readonly number[]): Promise<Map<number, StoredEnrichment[]>> {
    return this.enrich.enrichments(messageIds);
  }

  async facetCounts(query: FacetQuery): Promise<FacetCount[]> {
    return this.enrich.facetCounts(query);
  }

  async termTotals(query: TermQuery): Promise<TermTotals> {
    return this.enrich.termTotals(query);
  }

  async termDocuments(
    projectId: number,
    terms: readonly string[],
  ): Promise<{ documents: number; frequencies: Map<string, number> }> {
    return this.enrich.termDocuments(projectId, terms);
  }

  async *messagesToEnrich(scan: EnrichmentScan): AsyncIterable<Message> {
    yield* this.enrich.messagesToEnrich(scan);
  }

  async writeEnrichments(projectId: number, items: readonly EnrichmentWrite[]): Promise<void> {
    this.enrich.writeEnrichments(projectId, items);
  }

  async insertRun(run: NewRun): Promise<RunInsert> {
    return this.runs.insert(run);
  }

  async updateRunCapture(id: string, capture: RunCapture): Promise<Run | null> {
    return this.runs.updateCapture(id, capture);
  }

  async finishRun(id: string, outcome: RunOutcome): Promise<Run | null> {
    return this.runs.finish(id, outcome);
  }

  async findRuns(projectId: number, ref: string): Promise<Run[]> {
    return this.runs.find(projectId, ref);
  }

  async listRuns(query: RunQuery): Promise<Run[]> {
    return this.runs.list(query);
  }

  async addCrashReport(report: StoredCrashReport): Promise<void> {
    this.runs.addReport(report);
  }

  async crashReports(runId: string): Promise<StoredCrashReport[]> {
    return this.runs.reports(runId);
  }

  async spanMessagesDesc(span: MessageSpan, read: SpanRead): Promise<HistoryMessage[]> {
    return this.memory.spanDesc(span, read);
  }

  async *spanMessages(span: MessageSpan): AsyncIterable<Message> {
    yield* this.memory.spanAsc(span);
  }

  async countSpanMessages(span: MessageSpan): Promise<number> {
    return this.memory.countSpan(span);
  }

  async getMessage(projectId: number, id: number): Promise<Message | null> {
    return this.memory.getMessage(projectId, id);
  }

  async findMessage(projectId: number, source: string, externalId: string): Promise<Message | null> {
    return this.memory.findMessage(projectId, source, externalId);
  }

  async messageRevisions(messageId: number): Promise<MessageRevision[]> {
    return this.memory.revisions(messageId);
  }

  async searchMessages(search: MessageSearch): Promise<MessageSearchHit[]> {
    return this.memory.search(search);
  }

  async searchText(query: TextSearch): Promise<TextSearchHit[]> {
    return searchText(this.db, query);
  }

  async messageCounts(window: ReportWindow): Promise<MessageCountRow[]> {
    return reportQueries.messageCounts(this.db, window);
  }

  async usageByDay(window: ReportWindow): Promise<UsageDayRow[]> {
    return reportQueries.usageByDay(this.db, window);
  }

  async sessionStatusCounts(window: ReportWindow): Promise<StatusCount[]> {
    return reportQueries.sessionStatusCounts(this.db, window);
  }

  async reportFacets(query: ReportFacetQuery): Promise<{ label: string; messages: number }[]> {
    return reportQueries.reportFacets(this.db, query);
  }

  async reportTerms(window: ReportWindow, limit: number): Promise<TermTotals> {
    return reportQueries.reportTerms(this.db, window, limit);
  }

  async planCheckpoint(projectId: number): Promise<ArchivePlan> {
    return archiveQueries.planCheckpoint(this.db, projectId);
  }

  async *archivedMessages(plan: ArchivePlan): AsyncIterable<ArchivedMessage> {
    yield* archiveQueries.archivedMessages(this.db, plan);
  }

  async *archivedRawRecords(plan: ArchivePlan): AsyncIterable<ArchivedRawRecord> {
    yield* archiveQueries.archivedRawRecords(this.db, plan);
  }

  async recordCheckpoint(checkpoint: NewCheckpoint): Promise<Checkpoint> {
    return archiveQueries.recordCheckpoint(this.db, checkpoint);
  }

  async listCheckpoints(projectId: number): Promise<Checkpoint[]> {
    return archiveQueries.listCheckpoints(this.db, projectId);
  }

  async markCheckpointVerified(id: number, at: number): Promise<void> {
    archiveQueries.markCheckpointVerified(this.db, id, at);
  }

  async applyRetention(request: RetentionRequest): Promise<RetentionOutcome> {
    return applyRetention(this.db, request);
  }

  async *scanMessages(scan: MessageScan): AsyncIterable<Message> {
    yield* archiveQueries.scanMessages(this.db, scan);
  }

  async addAlert(alert: NewAlert): Promise<Alert> {
    return alertQueries.addAlert(this.db, alert);
  }

  async listAlerts(projectId: number, limit: number): Promise<Alert[]> {
    return alertQueries.listAlerts(this.db, projectId, limit);
  }

  async noteAlertDelivery(id: number, outcome: { at: number; error: string | null }): Promise<void> {
    alertQueries.noteAlertDelivery(this.db, id, outcome);
  }

  async createTrainingFile(
    request: TrainingFileCreate,
  ): Promise<{ ok: true; file: TrainingFile } | { ok: false; conflict: 'name' }> {
    return this.datasets.create(request);
  }

  async findTrainingFiles(projectId: number, ref: string): Promise<TrainingFile[]> {
    return this.datasets.find(projectId, ref);
  }

  async listTrainingFiles(projectId: number): Promise<TrainingFile[]> {
    return this.datasets.list(projectId);
  }

  async addTrainingFileSessions(request: TrainingFileMembership): Promise<TrainingFileMembershipOutcome> {
    return this.datasets.add(request);
  }

  async removeTrainingFileSessions(request: TrainingFileMembership): Promise<TrainingFileMembershipOutcome> {
    return this.datasets.remove(request);
  }

  async deleteTrainingFile(id: string): Promise<boolean> {
    return this.datasets.delete(id);
  }

  async *trainingFileSessions(fileId: string): AsyncIterable<TrainingFileMember> {
    yield* this.datasets.sessions(fileId);
  }

  async trainingMessages(sessionId: string): Promise<TrainingMessage[]> {
    return this.datasets.messages(sessionId);
  }

  async sessionReadiness(projectId: number, sessionIds: readonly string[]): Promise<SessionReadiness[]> {
    return this.datasets.readiness(projectId, sessionIds);
  }

  async sessionTopLabels(
    sessionId: string,
    facets: readonly EnrichmentFacet[],
  ): Promise<Record<string, string | null>> {
    return this.datasets.topLabels(sessionId, facets);
  }

  async recordTrainingFileBuild(build: NewTrainingFileBuild): Promise<TrainingFileBuild> {
    return this.datasets.recordBuild(build);
  }

  async trainingFileBuilds(fileId: string): Promise<TrainingFileBuild[]> {
    return this.datasets.builds(fileId);
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }
}
