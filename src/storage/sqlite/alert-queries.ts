import type { DatabaseSync } from 'node:sqlite';
import type { Alert, NewAlert } from '../../domain/alert.ts';

type AlertRow = {
  id: number;
  project_id: number;
  kind: string;
  created_at: number;
  message: string;
  value: number | null;
  threshold: number | null;
  report: string | null;
  notified_at: number | null;
  notify_error: string | null;
};

function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    projectId: row.project_id,
    kind: row.kind as Alert['kind'],
    createdAt: row.created_at,
    message: row.message,
    value: row.value,
    threshold: row.threshold,
    report: row.report,
    notifiedAt: row.notified_at,
    notifyError: row.notify_error,
  };
}

export function addAlert(db: DatabaseSync, alert: NewAlert): Alert {
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO alerts (project_id, kind, created_at, message, value, threshold, report)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      alert.projectId,
      alert.kind,
      alert.createdAt,
      alert.message,
      alert.value,
      alert.threshold,
      alert.report,
    );
  return toAlert(db.prepare('SELECT * FROM alerts WHERE id = ?').get(lastInsertRowid) as AlertRow);
}

export function listAlerts(db: DatabaseSync, projectId: number, limit: number): Alert[] {
  const rows = db
    .prepare('SELECT * FROM alerts WHERE project_id = ? ORDER BY created_at DESC, id DESC LIMIT ?')
    .all(projectId, limit) as AlertRow[];
  return rows.map(toAlert);
}

export function noteAlertDelivery(
  db: DatabaseSync,
  id: number,
  outcome: { at: number; error: string | null },
): void {
  db.prepare('UPDATE alerts SET notified_at = ?, notify_error = ? WHERE id = ?').run(
    outcome.error === null ? outcome.at : null,
    outcome.error,
    id,
  );
}
