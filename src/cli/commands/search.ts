import type { Command } from 'commander';
import { maxSearchLimit } from '../../analytics/search-limit.ts';
import type { SearchOrder, SearchResult } from '../../analytics/search-contract.ts';
import { parseWindow } from '../../analytics/time-window.ts';
import { AgentlogError } from '../../domain/errors.ts';
import { withAgentlog, type GlobalOptions } from '../context.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';
import { parsePositive } from './sessions.ts';

type SearchFlags = {
  source?: string;
  speaker?: string;
  domain?: string;
  since?: string;
  until?: string;
  limit: number;
  order: string;
  json?: boolean;
};

export function registerSearch(program: Command, io: CliIo): void {
  program
    .command('search')
    .description('Full-text search over every stored message.')
    .argument('<query...>', 'words that must all occur (a trailing * matches words starting so)')
    .option('--source <name>', 'only messages from this source (claude-code, codex, api, ...)')
    .option('--speaker <name>', 'only messages of this speaker (a name, or user/assistant)')
    .option('--domain <domain>', 'only messages whose domain chain includes this domain (enrichment)')
    .option('--since <time>', 'messages at or after: 2025-01-31, an ISO date-time, epoch ms, or 7d ago')
    .option('--until <time>', 'messages before (same forms)')
    .option(
      '--limit <n>',
      `at most this many results (1-${maxSearchLimit})`,
      (v) => parsePositive(v, '--limit'),
      20,
    )
    .option(
      '--order <order>',
      'relevance (best of the newest matches; newest with a speaker name or --domain) or recent',
      'relevance',
    )
    .option('--json', 'print {"results": [...]} on stdout')
    .addHelpText(
      'after',
      `
Examples:
  npx agentlog search parquet export
  npx agentlog search "retention polic*" --since 30d --source claude-code
  npx agentlog search deploy --speaker alice --json`,
    )
    .action(async (words: string[], options: SearchFlags, command: Command) => {
      const { searchOrders } = await import('../../analytics/search-contract.ts');
      const { searchMessages } = await import('../../analytics/search.ts');
      if (!searchOrders.includes(options.order as SearchOrder)) {
        throw new AgentlogError(
          'INVALID_ARGUMENT',
          `--order takes relevance or recent, not "${options.order}".`,
        );
      }
      const window = parseWindow(options, Date.now());
      await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), async ({ store, project }) => {
        const response = await searchMessages(store, project.id, {
          text: words.join(' '),
          limit: options.limit,
          order: options.order as SearchOrder,
          ...window,
          ...(options.source === undefined ? {} : { source: options.source }),
          ...(options.speaker === undefined ? {} : { speaker: options.speaker }),
          ...(options.domain === undefined ? {} : { domain: options.domain }),
        });
        if (options.json) return writeJson(io, response);
        if (response.results.length === 0) return writeLine(io.stderr, 'No message matches.');
        const emphasis = io.stdout.isTTY === true && io.env.NO_COLOR === undefined;
        for (const r of response.results) writeLine(io.stdout, resultLines(r, emphasis));
      });
    });
}

function resultLines(r: SearchResult, emphasis: boolean): string {
  const when =
    r.timestamp === null ? '—' : new Date(r.timestamp).toISOString().slice(0, 16).replace('T', ' ');
  let snippet = '';
  let at = 0;
  for (const [start, end] of r.highlights) {
    const word = r.snippet.slice(start, end);
    snippet += r.snippet.slice(at, start) + (emphasis ? `\u001b[1m${word}\u001b[22m` : `[${word}]`);
    at = end;
  }
  snippet += r.snippet.slice(at);
  return `${when}  ${r.sessionId}  #${r.messageId}  ${r.speaker} (${r.source})\n  ${snippet.replace(/\s+/g, ' ')}\n`;
}
