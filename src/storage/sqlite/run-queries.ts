import type { DatabaseSync } from 'node:sqlite';
import type { NewRun, Run, RunCapture, RunOutcome, StoredCrashReport } from '../../domain/run.ts';
import type { RunInsert, RunQuery } from '../ports.ts';
import { decodeRunRow, reportFromRow, runFromRow, type ReportRow, type RunTextRow } from '../run-rows.ts';

const toRun = (row: RunTextRow): Run => runFromRow(decodeRunRow(row));
const toReport = reportFromRow;

/** Runs and crash reports: few rows, written a handful of times per run. */
export class RunQueries {
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  insert(run: NewRun): RunInsert {
    const taken = this.conflict(run);
    if (taken) return { ok: false, conflict: taken };
    try {
      this.insertRow(run);
    } catch (error) {
      // Another process took the id or the chain id between the check and the insert.
      const raced = this.conflict(run);
      if (raced) return { ok: false, conflict: raced };
      throw error;
    }
    return { ok: true, run: this.get(run.id)! };
  }

  private conflict(run: NewRun): 'id' | 'chainId' | null {
    const taken = this.db
      .prepare('SELECT id FROM runs WHERE id = ? OR chain_id = ?')
      .get(run.id, run.chainId) as { id: string } | undefined;
    if (!taken) return null;
    return taken.id === run.id ? 'id' : 'chainId';
  }

  private insertRow(run: NewRun): void {
    this.db
      .prepare(
        `INSERT INTO runs (id, chain_id, project_id, launch_type, command, cwd, host, config_path, git, meta,
           session_id, conversation_key, warnings, status, started_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?)`,
      )
      .run(
        run.id,
        run.chainId,
        run.projectId,
        run.launchType,
        JSON.stringify(run.command),
        run.cwd,
        run.host,
        run.configPath,
        run.git === null ? null : JSON.stringify(run.git),
        JSON.stringify(run.meta),
        run.sessionId,
        run.conversationKey,
        JSON.stringify(run.warnings),
        run.startedAt,
      );
  }

  updateCapture(id: string, capture: RunCapture): Run | null {
    this.db
      .prepare('UPDATE runs SET session_id = ?, conversation_key = ?, warnings = ? WHERE id = ?')
      .run(capture.sessionId, capture.conversationKey, JSON.stringify(capture.warnings), id);
    return this.get(id);
  }

  finish(id: string, outcome: RunOutcome): Run | null {
    this.db
      .prepare(
        'UPDATE runs SET status = ?, exit_code = ?, signal = ?, ended_at = ?, log_key = ? WHERE id = ?',
      )
      .run(outcome.status, outcome.exitCode, outcome.signal, outcome.endedAt, outcome.logKey, id);
    return this.get(id);
  }

  get(id: string): Run | null {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunTextRow | undefined;
    return row ? toRun(row) : null;
  }

  find(projectId: number, ref: string): Run[] {
    const exact = this.db
      .prepare('SELECT * FROM runs WHERE project_id = ? AND (id = ? OR chain_id = ?)')
      .all(projectId, ref, ref.toUpperCase()) as RunTextRow[];
    if (exact.length > 0) return exact.map(toRun);
    const pattern = `${ref.replaceAll(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = this.db
      .prepare(
        `SELECT * FROM runs WHERE project_id = ? AND id LIKE ? ESCAPE '\\' ORDER BY started_at DESC LIMIT 20`,
      )
      .all(projectId, pattern) as RunTextRow[];
    return rows.map(toRun);
  }

  list(query: RunQuery): Run[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM runs WHERE project_id = ? AND (? IS NULL OR status = ?)
         ORDER BY started_at DESC, id DESC LIMIT ?`,
      )
      .all(query.projectId, query.status ?? null, query.status ?? null, query.limit ?? 50) as RunTextRow[];
    return rows.map(toRun);
  }

  addReport(report: StoredCrashReport): void {
    this.db
      .prepare(
        'INSERT INTO crash_reports (id, run_id, created_at, analyzer, signature, json, markdown) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        report.id,
        report.runId,
        report.createdAt,
        report.analyzer,
        report.signature,
        report.json,
        report.markdown,
      );
  }

  reports(runId: string): StoredCrashReport[] {
    const rows = this.db
      .prepare('SELECT * FROM crash_reports WHERE run_id = ? ORDER BY created_at, id')
      .all(runId) as ReportRow[];
    return rows.map(toReport);
  }
}
