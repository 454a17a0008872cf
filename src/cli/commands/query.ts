import type { Command } from 'commander';
import { withAgentlog, type GlobalOptions } from '../context.ts';
import { writeLine, type CliIo } from '../io.ts';

export function registerQuery(program: Command, io: CliIo): void {
  program
    .command('query')
    .description('SQL (DuckDB) over the Parquet archives of every checkpoint.')
    .argument('<sql>', 'a query over messages, raw_records and checkpoints')
    .option('--json', 'print {columns, rows[, secretsMasked]} on stdout (rows as arrays)')
    .addHelpText(
      'after',
      `
Tables: messages (archive columns, plus time as a TIMESTAMP), raw_records, checkpoints.
Only checkpointed messages are there: run \`npx agentlog checkpoint\` first.
Secrets the redaction rules find in the answer are masked, as in exports (--json adds
"secretsMasked": {kind: count} when there were any).

Examples:
  npx agentlog query "SELECT source, COUNT(*) FROM messages GROUP BY source"
  npx agentlog query "SELECT time, text FROM messages WHERE text ILIKE '%parquet%' LIMIT 20" --json`,
    )
    .action(async (sql: string, options: { json?: boolean }, command: Command) => {
      const { openArchives } = await import('../../archive/query-archives.ts');
      await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), async (agentlog) => {
        const archives = await openArchives({
          store: agentlog.store,
          blobs: agentlog.blobs,
          projectId: agentlog.project.id,
        });
        try {
          const answer = await archives.query(sql);
          if (options.json) {
            // Streamed: one JSON document, written a chunk of rows at a time.
            io.stdout.write(`{"columns":${JSON.stringify(answer.columns)},"rows":[`);
            let separator = '';
            for await (const rows of answer.rows) {
              for (const row of rows) {
                io.stdout.write(`${separator}\n${JSON.stringify(row)}`);
                separator = ',';
              }
            }
            // Present only when the gate masked something, so clean answers keep {columns, rows}.
            const masked = Object.keys(answer.secretsMasked).length > 0;
            io.stdout.write(masked ? `],"secretsMasked":${JSON.stringify(answer.secretsMasked)}}\n` : ']}\n');
            return;
          }
          writeLine(io.stdout, answer.columns.map((c) => c.name).join('\t'));
          let count = 0;
          for await (const rows of answer.rows) {
            for (const row of rows) {
              writeLine(io.stdout, row.map(cell).join('\t'));
              count++;
            }
          }
          writeLine(io.stderr, `(${count} row${count === 1 ? '' : 's'})`);
          const masked = Object.entries(answer.secretsMasked);
          if (masked.length > 0) {
            const kinds = masked.map(([kind, n]) => `${n} ${kind}`).join(', ');
            writeLine(io.stderr, `agentlog: masked secrets the archives still hold: ${kinds}`);
          }
        } finally {
          await archives.close();
        }
      });
    });
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(/[\t\n\r]/g, ' ');
}
