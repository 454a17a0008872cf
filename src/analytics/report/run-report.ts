import { join } from 'node:path';
import type { NotifyConfig } from '../../config/notify-config.ts';
import type { ReportsConfig } from '../../config/reports-config.ts';
import type { Store } from '../../storage/ports.ts';
import { collectReport } from './collect-report.ts';
import type { Report } from './report-contract.ts';
import { alertOnLowScore, type AlertOutcome } from './report-alert.ts';
import { writeReport, type ReportFormat } from './write-report.ts';

export type ReportDeps = {
  store: Store;
  project: { id: number; name: string };
  dataDir: string;
  reports: ReportsConfig;
  notify: NotifyConfig;
};

export type ReportRun = {
  since?: number;
  until?: number;
  /** Default: the configured directory, else `<data dir>/reports`. */
  dir?: string;
  formats: readonly ReportFormat[];
  /** Default: the configured `reports.alertBelow`. */
  alertBelow?: number;
  now: number;
};

export type ReportOutcome = { report: Report; files: string[]; alert: AlertOutcome };

/** One report: collected, written in each format, and checked against the alert threshold. */
export async function runReport(deps: ReportDeps, run: ReportRun): Promise<ReportOutcome> {
  const report = await collectReport(deps.store, {
    projectId: deps.project.id,
    projectName: deps.project.name,
    now: run.now,
    ...(run.since === undefined ? {} : { since: run.since }),
    ...(run.until === undefined ? {} : { until: run.until }),
  });
  const dir = run.dir ?? deps.reports.dir ?? join(deps.dataDir, 'reports');
  const files = await writeReport(report, dir, run.formats);
  const alert = await alertOnLowScore(
    { store: deps.store, notify: deps.notify, projectId: deps.project.id },
    report,
    run.alertBelow ?? deps.reports.alertBelow,
    files.find((f) => f.endsWith('.html')) ?? files[0] ?? null,
  );
  return { report, files, alert };
}
