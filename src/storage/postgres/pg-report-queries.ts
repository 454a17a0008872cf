import type pg from 'pg';
import type { Alert, NewAlert } from '../../domain/alert.ts';
import type {
  MessageCountRow,
  ReportFacetQuery,
  ReportWindow,
  StatusCount,
  TermTotals,
  UsageDayRow,
} from '../ports.ts';
import { pgQueries, type PgTx } from './pg-tx.ts';

const day = 86_400_000;

/** The window's condition on a time column; without a window, rows without a time count too. */
function windowOf(window: ReportWindow, column: string): string {
  const parts: string[] = [];
  if (window.since !== undefined) parts.push(`${column} >= :since`);
  if (window.until !== undefined) parts.push(`${column} < :until`);
  return parts.length === 0 ? 'TRUE' : parts.join(' AND ');
}
const windowParams = (window: ReportWindow) => ({
  project: window.projectId,
  since: window.since ?? null,
  until: window.until ?? null,
});

type AlertRow = {
  id: number;
  project_id: number;
  kind: Alert['kind'];
  created_at: number;
  message: string;
  value: number | null;
  threshold: number | null;
  report: string | null;
  notified_at: number | null;
  notify_error: string | null;
};
const toAlert = (row: AlertRow): Alert => ({
  id: row.id,
  projectId: row.project_id,
  kind: row.kind,
  createdAt: row.created_at,
  message: row.message,
  value: row.value,
  threshold: row.threshold,
  report: row.report,
  notifiedAt: row.notified_at,
  notifyError: row.notify_error,
});

/**
 * Report reads on PostgreSQL, counted from the rows with the time indexes (SQLite keeps per-day
 * aggregates instead; the answers are the same), and the alerts reports raise.
 */
export class PgReportQueries {
  private readonly db: PgTx;

  constructor(pool: pg.Pool) {
    this.db = pgQueries(pool);
  }

  async messageCounts(window: ReportWindow): Promise<MessageCountRow[]> {
    return this.db.q<MessageCountRow>(
      `SELECT (timestamp / ${day}) * ${day} AS day, source, role, kind, speaker_name AS speaker, model,
         COUNT(*)::int AS messages
       FROM messages WHERE project_id = :project AND ${windowOf(window, 'timestamp')}
       GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1 NULLS LAST, 2, 3, 4, 5, 6`,
      windowParams(window),
    );
  }

  async usageByDay(window: ReportWindow): Promise<UsageDayRow[]> {
    return this.db.q<UsageDayRow>(
      `SELECT (timestamp / ${day}) * ${day} AS day, source, model, SUM(input_tokens) AS "inputTokens",
         SUM(output_tokens) AS "outputTokens", SUM(cache_creation_tokens) AS "cacheCreationTokens",
         SUM(cache_read_tokens) AS "cacheReadTokens", COUNT(*)::int AS responses
       FROM usage WHERE project_id = :project AND ${windowOf(window, 'timestamp')}
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      windowParams(window),
    );
  }

  async sessionStatusCounts(window: ReportWindow): Promise<StatusCount[]> {
    return this.db.q<StatusCount>(
      `SELECT status, COUNT(*)::int AS sessions FROM sessions
       WHERE project_id = :project AND ${windowOf(window, 'started_at')}
       GROUP BY status ORDER BY sessions DESC, status COLLATE "C"`,
      windowParams(window),
    );
  }

  async reportFacets(query: ReportFacetQuery): Promise<{ label: string; messages: number }[]> {
    return this.db.q(
      `SELECT label, COUNT(*)::int AS messages FROM message_labels
       WHERE project_id = :project AND facet = :facet AND ${windowOf(query, 'timestamp')}
       GROUP BY label ORDER BY messages DESC, label COLLATE "C"`,
      { ...windowParams(query), facet: query.facet },
    );
  }

  async reportTerms(window: ReportWindow, limit: number): Promise<TermTotals> {
    const terms = await this.db.q<{ term: string; count: number; documents: number }>(
      `SELECT t.term, SUM(t.count)::bigint AS count, COALESCE(MAX(d.documents), 0)::bigint AS documents
       FROM messages m JOIN message_terms t ON t.message_id = m.id
       LEFT JOIN term_documents d ON d.project_id = m.project_id AND d.term = t.term
       WHERE m.project_id = :project AND ${windowOf(window, 'm.timestamp')}
       GROUP BY t.term HAVING SUM(t.count) > 0 ORDER BY count DESC, t.term COLLATE "C" LIMIT :limit`,
      { ...windowParams(window), limit },
    );
    const [corpus] = await this.db.q<{ documents: number }>(
      'SELECT documents FROM corpus_documents WHERE project_id = :project',
      { project: window.projectId },
    );
    return { documents: corpus?.documents ?? 0, terms };
  }

  async addAlert(alert: NewAlert): Promise<Alert> {
    const [row] = await this.db.q<AlertRow>(
      `INSERT INTO alerts (project_id, kind, created_at, message, value, threshold, report)
       VALUES (:project, :kind, :at, :message, :value, :threshold, :report) RETURNING *`,
      {
        project: alert.projectId,
        kind: alert.kind,
        at: alert.createdAt,
        message: alert.message,
        value: alert.value,
        threshold: alert.threshold,
        report: alert.report,
      },
    );
    return toAlert(row!);
  }

  async listAlerts(projectId: number, limit: number): Promise<Alert[]> {
    const rows = await this.db.q<AlertRow>(
      'SELECT * FROM alerts WHERE project_id = :project ORDER BY created_at DESC, id DESC LIMIT :limit',
      { project: projectId, limit },
    );
    return rows.map(toAlert);
  }

  async noteAlertDelivery(id: number, outcome: { at: number; error: string | null }): Promise<void> {
    await this.db.q('UPDATE alerts SET notified_at = :at, notify_error = :error WHERE id = :id', {
      id,
      at: outcome.error === null ? outcome.at : null,
      error: outcome.error,
    });
  }
}
