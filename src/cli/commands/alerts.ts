import type { Command } from 'commander';
import type { Alert } from '../../domain/alert.ts';
import { withAgentlog, type GlobalOptions } from '../context.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';
import { parsePositive } from './sessions.ts';

export function registerAlerts(program: Command, io: CliIo): void {
  const alerts = program
    .command('alerts')
    .description('Alerts raised by reports (a collaboration score below its threshold).');

  alerts
    .command('list', { isDefault: true })
    .description('List the project’s alerts, newest first (the default).')
    .option('--limit <n>', 'at most this many alerts', (v) => parsePositive(v, '--limit'), 20)
    .option('--json', 'print {alerts} on stdout')
    .addHelpText(
      'after',
      `
Alerts come from \`npx agentlog report --alert-below SCORE\` and the server's report schedule
(reports.alertBelow in config.json); each names the report it came from and whether e-mail went out.

Examples:
  npx agentlog alerts
  npx agentlog alerts list --limit 5 --json`,
    )
    .action(async (options: { limit: number; json?: boolean }, command: Command) => {
      await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), async ({ store, project }) => {
        const found = await store.listAlerts(project.id, options.limit);
        if (options.json) return writeJson(io, { alerts: found });
        if (found.length === 0)
          return writeLine(io.stderr, 'No alert: every report so far was above its threshold.');
        for (const alert of found) writeLine(io.stdout, alertLines(alert));
      });
    });
}

function alertLines(alert: Alert): string {
  const when = new Date(alert.createdAt).toISOString().slice(0, 16).replace('T', ' ');
  const mail =
    alert.notifyError !== null
      ? `e-mail failed: ${alert.notifyError}`
      : alert.notifiedAt !== null
        ? 'e-mailed'
        : 'not e-mailed';
  const lines = [`${when}  #${alert.id}  ${alert.kind}  ${alert.message}`, `  ${mail}`];
  if (alert.report !== null) lines.push(`  report: ${alert.report}`);
  return lines.join('\n');
}
