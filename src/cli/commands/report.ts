import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ReportDeps, ReportOutcome } from '../../analytics/report/run-report.ts';
import { reportFormats, type ReportFormat } from '../../analytics/report/write-report.ts';
import { parseDuration, parseWindow } from '../../analytics/time-window.ts';
import { AgentlogError } from '../../domain/errors.ts';
import { withAgentlog, type GlobalOptions } from '../context.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';

type ReportFlags = {
  since?: string;
  until?: string;
  format: string;
  out?: string;
  alertBelow?: string;
  every?: string;
  json?: boolean;
};

export function registerReport(program: Command, io: CliIo): void {
  program
    .command('report')
    .description('Write an analytics report (JSON, Markdown, HTML with charts) over the stored messages.')
    .option('--since <time>', 'messages at or after: 2025-01-31, an ISO date-time, epoch ms, or 30d ago')
    .option('--until <time>', 'messages before (same forms)')
    .option('--format <list>', 'json, md, html, or a comma list of them', reportFormats.join(','))
    .option('--out <dir>', 'where to write (default <data dir>/reports, or reports.dir in config.json)')
    .option('--alert-below <score>', 'raise an alert when the collaboration score is below this (0-100)')
    .option('--every <duration>', 'write a report every 30m, 6h, 1d, ... until stopped (Ctrl-C)')
    .option('--json', 'print {report, files, alert} on stdout (one line per report with --every)')
    .addHelpText(
      'after',
      `
Files are named analytics_report_YYYYMMDD_HHMMSS.{json,md,html} (UTC). Days in the report are UTC.
Sections built from enrichment say "not enriched yet" with counts where messages have none.
An alert is stored, and e-mailed when AGENTLOG_SMTP_URL and AGENTLOG_NOTIFY_TO are set.

Examples:
  npx agentlog report
  npx agentlog report --since 7d --format html --out ./reports
  npx agentlog report --every 6h --alert-below 40`,
    )
    .action(async (flags: ReportFlags, command: Command) => {
      const formats = parseFormats(flags.format);
      const alertBelow = flags.alertBelow === undefined ? undefined : parseScore(flags.alertBelow);
      const everyMs = flags.every === undefined ? undefined : parseEvery(flags.every);
      const window = parseWindow(flags, Date.now());
      const [{ runReport }, { startPeriodic }] = await Promise.all([
        import('../../analytics/report/run-report.ts'),
        import('../../analytics/periodic.ts'),
      ]);
      await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), async (agentlog) => {
        const deps: ReportDeps = {
          store: agentlog.store,
          project: agentlog.project,
          dataDir: agentlog.config.dataDir,
          reports: agentlog.config.reports,
          notify: agentlog.config.notify,
        };
        const once = async () => {
          const outcome = await runReport(deps, {
            ...window,
            formats,
            now: Date.now(),
            ...(flags.out === undefined ? {} : { dir: resolve(flags.out) }),
            ...(alertBelow === undefined ? {} : { alertBelow }),
          });
          print(io, outcome, flags.json === true, everyMs !== undefined);
        };
        if (everyMs === undefined) return once();
        writeLine(io.stderr, `agentlog: a report every ${flags.every}; Ctrl-C stops`);
        const schedule = startPeriodic(once, everyMs, {
          immediately: true,
          keepAlive: true,
          onError: (error) =>
            writeLine(
              io.stderr,
              `agentlog: report failed: ${error instanceof Error ? error.message : String(error)}`,
            ),
        });
        await untilSignal();
        await schedule.stop();
      });
    });
}

function print(io: CliIo, outcome: ReportOutcome, json: boolean, repeated: boolean): void {
  if (json) {
    if (repeated) io.stdout.write(`${JSON.stringify(outcome)}\n`);
    else writeJson(io, outcome);
    return;
  }
  const { report, files, alert } = outcome;
  const t = report.totals;
  writeLine(
    io.stderr,
    `agentlog: ${t.messages} messages, ${t.sessions} sessions, collaboration score ${report.collaboration.score.toFixed(1)}`,
  );
  for (const file of files) writeLine(io.stdout, file);
  if (alert !== null) {
    const mail =
      alert.delivery.status === 'sent'
        ? `e-mailed to ${alert.delivery.to.join(', ')}`
        : alert.delivery.status === 'failed'
          ? `e-mail failed: ${alert.delivery.reason}`
          : 'no e-mail (AGENTLOG_SMTP_URL, AGENTLOG_NOTIFY_TO not set)';
    writeLine(io.stderr, `agentlog: alert: ${alert.alert.message} (${mail})`);
  }
}

function parseFormats(list: string): ReportFormat[] {
  const formats = [...new Set(list.split(',').map((f) => f.trim().toLowerCase()))];
  for (const f of formats) {
    if (!reportFormats.includes(f as ReportFormat)) {
      throw new AgentlogError(
        'INVALID_ARGUMENT',
        `--format takes json, md or html (or a comma list), not "${f}".`,
      );
    }
  }
  return formats as ReportFormat[];
}

function parseScore(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 100) {
    throw new AgentlogError('INVALID_ARGUMENT', `--alert-below takes a score from 0 to 100, not "${text}".`);
  }
  return n;
}

function parseEvery(text: string): number {
  const ms = parseDuration(text);
  if (ms === null || ms < 1000) {
    throw new AgentlogError(
      'INVALID_ARGUMENT',
      `--every takes a duration such as 30m, 6h or 1d, not "${text}".`,
    );
  }
  return ms;
}

/** Resolves on SIGINT or SIGTERM (a scheduled command runs until one of them). */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
