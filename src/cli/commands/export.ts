import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseWindow } from '../../analytics/time-window.ts';
import type { ExportFormat } from '../../archive/export-messages.ts';
import { AgentlogError } from '../../domain/errors.ts';
import type { MessageScan } from '../../storage/ports.ts';
import { withAgentlog, type GlobalOptions } from '../context.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';
import { resolveSession } from './sessions.ts';

type ExportFlags = {
  format: string;
  out?: string;
  since?: string;
  until?: string;
  source?: string;
  session?: string;
  json?: boolean;
};

export function registerExport(program: Command, io: CliIo): void {
  program
    .command('export')
    .description('Export stored messages as JSON Lines or Parquet (the archive row format).')
    .requiredOption('--format <format>', 'jsonl or parquet')
    .option('--out <file>', 'the file to write (.jsonl.gz compresses); - writes JSON Lines to stdout')
    .option('--since <time>', 'messages at or after: 2025-01-31, an ISO date-time, epoch ms, or 7d ago')
    .option('--until <time>', 'messages before (same forms)')
    .option('--source <name>', 'only messages from this source')
    .option('--session <id>', 'only the messages of this session (id or unique prefix)')
    .option('--json', 'print {format, out, messages, bytes} on stdout')
    .addHelpText(
      'after',
      `
Secrets the redaction rules find are masked on the way out, as at ingest. Rows are in storage
order (message id). Columns: id, project_id, session_id, source, external_id,
parent_external_id, role, kind, speaker_name, speaker_role, text, blocks (JSON), model, response_id,
token counts, timestamp (epoch ms), seq, content_hash, meta (JSON).

Examples:
  npx agentlog export --format parquet --since 30d --out last-month.parquet
  npx agentlog export --format jsonl --source claude-code --out claude.jsonl.gz`,
    )
    .action(async (flags: ExportFlags, command: Command) => {
      const { exportFormats, exportMessages, exportToStream } =
        await import('../../archive/export-messages.ts');
      if (!exportFormats.includes(flags.format as ExportFormat)) {
        throw new AgentlogError(
          'INVALID_ARGUMENT',
          `--format takes jsonl or parquet, not "${flags.format}".`,
        );
      }
      const format = flags.format as ExportFormat;
      const out = flags.out;
      if (out === undefined) {
        throw new AgentlogError('INVALID_ARGUMENT', 'Where should the export go?', {
          hint: 'Give --out FILE (or --out - for JSON Lines on stdout).',
        });
      }
      if (out === '-' && format !== 'jsonl') {
        throw new AgentlogError('INVALID_ARGUMENT', 'Only JSON Lines can go to stdout.', {
          hint: 'Give --out FILE.',
        });
      }
      const window = parseWindow(flags, Date.now());
      await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), async (agentlog) => {
        const session =
          flags.session === undefined ? undefined : await resolveSession(agentlog, flags.session);
        const scan: MessageScan = {
          projectId: agentlog.project.id,
          ...window,
          ...(flags.source === undefined ? {} : { source: flags.source }),
          ...(session === undefined ? {} : { sessionId: session.id }),
        };
        if (out === '-') {
          const { messages, secretsMasked } = await exportToStream(agentlog.store, scan, io.stdout);
          writeLine(io.stderr, `agentlog: exported ${messages} messages${maskedNote(secretsMasked)}`);
          return;
        }
        const outcome = await exportMessages(agentlog.store, scan, { format, out: resolve(out) });
        if (flags.json) return writeJson(io, outcome);
        writeLine(
          io.stdout,
          `Exported ${outcome.messages} messages to ${outcome.out} (${outcome.bytes} bytes).`,
        );
      });
    });
}

function maskedNote(masked: Record<string, number>): string {
  const kinds = Object.entries(masked);
  if (kinds.length === 0) return '';
  return `; secrets masked on the way out: ${kinds.map(([kind, n]) => `${n} ${kind}`).join(', ')}`;
}
