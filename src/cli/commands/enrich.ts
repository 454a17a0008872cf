import type { Command } from 'commander';
import { AgentlogError } from '../../domain/errors.ts';
import { withAgentlog, type GlobalOptions } from '../context.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';
import { createProgressBar } from '../progress.ts';

type EnrichOptions = { all?: boolean; since?: string; until?: string; json?: boolean };

function parseTime(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(ms))
    throw new AgentlogError(
      'INVALID_ARGUMENT',
      `${flag} takes epoch ms or an ISO 8601 date, not "${value}".`,
      {
        hint: `For example ${flag} 2026-01-31 or ${flag} 2026-01-31T12:00:00Z.`,
      },
    );
  return ms;
}

export function registerEnrich(program: Command, io: CliIo): void {
  program
    .command('enrich')
    .description(
      'Enrich stored messages: exact token counts and keywords (TF-IDF against the project), and\n' +
        'domain, tier, tags, language, tools and hash again where an enricher has a newer version.',
    )
    .option('--all', 'enrich every message again, not only those missing a current result')
    .option('--since <time>', 'only messages from this time on (epoch ms or ISO 8601)')
    .option('--until <time>', 'only messages before this time')
    .option('--json', 'print the summary as JSON on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  npx agentlog enrich                  # what ingest left to do, and older enricher versions\n' +
        '  npx agentlog enrich --all            # everything again (after changing domain rules)\n' +
        '  npx agentlog enrich --since 2026-01-01 --json',
    )
    .action(async (options: EnrichOptions, command: Command) => {
      const since = parseTime('--since', options.since);
      const until = parseTime('--until', options.until);
      const { enrichStored } = await import('../../enrich/enrich-stored.ts');
      await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), async ({ store, project, config }) => {
        const bar = createProgressBar(io, 'enriching');
        const summary = await enrichStored({
          store,
          projectId: project.id,
          all: options.all === true,
          ...(since === undefined ? {} : { since }),
          ...(until === undefined ? {} : { until }),
          domainRules: config.enrichment.domainRules,
          onProgress: ({ done, total }) => bar.update(done, total, `${done} messages`),
        });
        bar.done();
        if (options.json) return writeJson(io, summary);
        writeLine(
          io.stdout,
          `enriched ${summary.messages} messages in ${(summary.durationMs / 1000).toFixed(1)} s` +
            (summary.failures > 0
              ? ` (${summary.failures} enricher failures recorded on their messages)`
              : ''),
        );
      });
    });
}
