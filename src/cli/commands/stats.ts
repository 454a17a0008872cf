import type { Command } from 'commander';
import type { UsageBy } from '../../analytics/usage-report.ts';
import { AgentlogError } from '../../domain/errors.ts';
import { withAgentlog, type GlobalOptions } from '../context.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';

const groupings = ['day', 'model', 'session'] as const;

export function registerStats(program: Command, io: CliIo): void {
  const stats = program.command('stats').description('Statistics over the stored conversations.');
  stats
    .command('usage')
    .description('Token usage (each model response counted once), by day, model or session.')
    .option('--by <group>', 'day, model or session', 'day')
    .option('--timezone <tz>', 'IANA time zone for days (default: the system zone)')
    .option('--source <name>', 'only this source (claude-code, ...)')
    .option('--json', 'print JSON on stdout')
    .action(
      async (
        options: { by: string; timezone?: string; source?: string; json?: boolean },
        command: Command,
      ) => {
        if (!groupings.includes(options.by as UsageBy)) {
          throw new AgentlogError(
            'INVALID_ARGUMENT',
            `--by takes day, model or session, not "${options.by}".`,
          );
        }
        const timezone = options.timezone ?? io.env.TZ ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
        const { usageReport } = await import('../../analytics/usage-report.ts');
        await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), async ({ store, project }) => {
          const report = await usageReport(store, project.id, {
            by: options.by as UsageBy,
            timezone,
            ...(options.source ? { source: options.source } : {}),
          });
          if (options.json) return writeJson(io, report);
          const header = [options.by.padEnd(36), 'input', 'output', 'cache write', 'cache read', 'total'];
          writeLine(io.stdout, formatRow(header));
          for (const r of report.rows)
            writeLine(io.stdout, formatRow([r.key.slice(0, 36).padEnd(36), ...numbers(r)]));
          writeLine(io.stdout, formatRow(['Total'.padEnd(36), ...numbers(report.totals)]));
        });
      },
    );
}

function numbers(t: {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
}) {
  return [t.inputTokens, t.outputTokens, t.cacheCreationTokens, t.cacheReadTokens, t.totalTokens].map(
    grouped,
  );
}

/** 1234567 as "1,234,567", as toLocaleString('en-US') writes a whole number, without loading ICU. */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function formatRow(cells: string[]): string {
  return cells.map((c, i) => (i === 0 ? c : c.padStart(14))).join(' ');
}
