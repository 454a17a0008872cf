import { startPeriodic, type Periodic } from '../periodic.ts';
import { parseDuration } from '../time-window.ts';
import { runReport, type ReportDeps } from './run-report.ts';
import { reportFormats } from './write-report.ts';

type Log = { info(details: object, message: string): void; error(details: object, message: string): void };

/** The server's report schedule (`reports.every`): every format, the alert threshold of the config. */
export function startReportSchedule(deps: ReportDeps, log: Log): Periodic | null {
  const every = deps.reports.every === undefined ? null : parseDuration(deps.reports.every);
  if (every === null) return null;
  return startPeriodic(
    async () => {
      const { report, files, alert } = await runReport(deps, { formats: reportFormats, now: Date.now() });
      log.info({ files, score: report.collaboration.score }, 'report written');
      if (alert !== null)
        log.info({ alert: alert.alert.message, email: alert.delivery.status }, 'report alert');
    },
    every,
    { onError: (err) => log.error({ err }, 'scheduled report failed') },
  );
}
