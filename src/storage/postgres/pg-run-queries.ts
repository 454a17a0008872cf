import type pg from 'pg';
import type { NewRun, Run, RunCapture, RunOutcome, StoredCrashReport } from '../../domain/run.ts';
import type { RunInsert, RunQuery } from '../ports.ts';
import { reportFromRow, runFromRow, type ReportRow, type RunRow } from '../run-rows.ts';
import { pgQueries, type PgTx } from './pg-tx.ts';

const toRun = runFromRow;
const toReport = reportFromRow;

const likeEscape = (text: string) => text.replaceAll(/[\\%_]/g, (c) => `\\${c}`);

/** Runs and crash reports on PostgreSQL: few rows, written a handful of times per run. */
export class PgRunQueries {
  private readonly db: PgTx;

  constructor(pool: pg.Pool) {
    this.db = pgQueries(pool);
  }

  /** One statement: a taken id or chain id (even by a replica racing this one) is a conflict, not an error. */
  async insert(run: NewRun): Promise<RunInsert> {
    const [row] = await this.db.q<RunRow>(
      `INSERT INTO runs (id, chain_id, project_id, launch_type, command, cwd, host, config_path, git, meta,
         session_id, conversation_key, warnings, status, started_at)
       VALUES (:id, :chainId, :project, :launchType, :command::jsonb, :cwd, :host, :configPath, :git::jsonb,
         :meta::jsonb, :sessionId, :conversationKey, :warnings::jsonb, 'running', :startedAt)
       ON CONFLICT DO NOTHING RETURNING *`,
      {
        id: run.id,
        chainId: run.chainId,
        project: run.projectId,
        launchType: run.launchType,
        command: JSON.stringify(run.command),
        cwd: run.cwd,
        host: run.host,
        configPath: run.configPath,
        git: run.git === null ? null : JSON.stringify(run.git),
        meta: JSON.stringify(run.meta),
        sessionId: run.sessionId,
        conversationKey: run.conversationKey,
        warnings: JSON.stringify(run.warnings),
        startedAt: run.startedAt,
      },
    );
    if (row !== undefined) return { ok: true, run: toRun(row) };
    const [taken] = await this.db.q<{ id: string }>(
      'SELECT id FROM runs WHERE id = :id OR chain_id = :chainId',
      {
        id: run.id,
        chainId: run.chainId,
      },
    );
    return { ok: false, conflict: taken?.id === run.id ? 'id' : 'chainId' };
  }

  async updateCapture(id: string, capture: RunCapture): Promise<Run | null> {
    const [row] = await this.db.q<RunRow>(
      `UPDATE runs SET session_id = :sessionId, conversation_key = :key, warnings = :warnings::jsonb
       WHERE id = :id RETURNING *`,
      {
        id,
        sessionId: capture.sessionId,
        key: capture.conversationKey,
        warnings: JSON.stringify(capture.warnings),
      },
    );
    return row === undefined ? null : toRun(row);
  }

  async finish(id: string, outcome: RunOutcome): Promise<Run | null> {
    const [row] = await this.db.q<RunRow>(
      `UPDATE runs SET status = :status, exit_code = :exitCode, signal = :signal, ended_at = :endedAt,
         log_key = :logKey WHERE id = :id RETURNING *`,
      { id, ...outcome },
    );
    return row === undefined ? null : toRun(row);
  }

  async find(projectId: number, ref: string): Promise<Run[]> {
    const exact = await this.db.q<RunRow>(
      'SELECT * FROM runs WHERE project_id = :project AND (id = :ref OR chain_id = :chain)',
      { project: projectId, ref, chain: ref.toUpperCase() },
    );
    if (exact.length > 0) return exact.map(toRun);
    const rows = await this.db.q<RunRow>(
      `SELECT * FROM runs WHERE project_id = :project AND id LIKE :pattern ESCAPE '\\'
       ORDER BY started_at DESC LIMIT 20`,
      { project: projectId, pattern: `${likeEscape(ref)}%` },
    );
    return rows.map(toRun);
  }

  async list(query: RunQuery): Promise<Run[]> {
    const rows = await this.db.q<RunRow>(
      `SELECT * FROM runs WHERE project_id = :project AND (:status::text IS NULL OR status = :status)
       ORDER BY started_at DESC, id COLLATE "C" DESC LIMIT :limit`,
      { project: query.projectId, status: query.status ?? null, limit: query.limit ?? 50 },
    );
    return rows.map(toRun);
  }

  async addReport(report: StoredCrashReport): Promise<void> {
    await this.db.q(
      `INSERT INTO crash_reports (id, run_id, created_at, analyzer, signature, json, markdown)
       VALUES (:id, :runId, :createdAt, :analyzer, :signature, :json, :markdown)`,
      { ...report },
    );
  }

  async reports(runId: string): Promise<StoredCrashReport[]> {
    const rows = await this.db.q<ReportRow>(
      'SELECT * FROM crash_reports WHERE run_id = :runId ORDER BY created_at, id COLLATE "C"',
      { runId },
    );
    return rows.map(toReport);
  }
}
