import { homedir } from 'node:os';
import type { Command } from 'commander';
import { AgentlogError } from '../../domain/errors.ts';
import type { ImportSummary } from '../../ingest/import-run.ts';
import { withAgentlog, type GlobalOptions } from '../context.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';
import { createProgressBar, formatBytes } from '../progress.ts';

const shownSkips = 20;

/**
 * The first alias of each format in sources/registry.ts, written out so that `--help` does not load
 * every parser (test/cli-help.test.ts checks the two agree).
 */
export const sourceNamesInHelp = ['claude', 'codex', 'gemini', 'chatgpt', 'openai', 'sharegpt'];

export function registerImport(program: Command, io: CliIo): void {
  const names = [...sourceNamesInHelp, 'auto'].join('|');
  program
    .command('import')
    .description('Import agent transcripts into the store (safe to run again: nothing is added twice).')
    .argument(
      '[source]',
      `transcript format: ${names} (auto: each file's format from its content); omitted, every known agent at its default location`,
    )
    .argument('[paths...]', "files or directories to import; default: the agent's own location")
    .option('--json', 'print one JSON summary on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  npx agentlog import claude                      # ~/.claude/projects\n  npx agentlog import claude ./project-dir --json\n' +
        '  npx agentlog import chatgpt ./chatgpt-export    # the unzipped export (conversations.json)\n' +
        '  npx agentlog import auto ./transcripts --json   # any mix of known formats\n',
    )
    .action(
      async (source: string | undefined, paths: string[], options: { json?: boolean }, command: Command) => {
        const global = command.optsWithGlobals<GlobalOptions>();
        const env = { home: io.env.HOME ?? homedir(), vars: io.env };
        const { sourceFormat, sourceFormats } = await import('../../sources/registry.ts');
        if (source === 'auto') {
          if (paths.length === 0) throw needsPaths('auto');
          const { importAuto } = await import('../../ingest/import-auto.ts');
          const summary = await withAgentlog(io, global, (agentlog) => {
            const bar = createProgressBar(io, 'import auto');
            return importAuto({
              store: agentlog.store,
              projectId: agentlog.project.id,
              formats: sourceFormats,
              paths,
              pipeline: agentlog.ingestPipeline(),
              onProgress: (p) =>
                bar.update(p.bytesDone, p.bytesTotal, `${p.filesDone}/${p.filesTotal} files`),
            }).finally(() => bar.done());
          });
          if (options.json) writeJson(io, summary);
          else printSummary(io, summary);
          return;
        }
        // Sources without a default location (exports, chat logs) are only read from given paths.
        const formats =
          source === undefined
            ? sourceFormats.filter((f) => f.defaultRoots(env).length > 0)
            : [sourceFormat(source)];
        if (source !== undefined && paths.length === 0 && formats[0]!.defaultRoots(env).length === 0)
          throw needsPaths(source);
        const { importRun } = await import('../../ingest/import-run.ts');
        const summaries = await withAgentlog(io, global, async (agentlog) => {
          const results: ImportSummary[] = [];
          for (const format of formats) {
            const bar = createProgressBar(io, `import ${format.name}`);
            const summary = await importRun({
              store: agentlog.store,
              projectId: agentlog.project.id,
              format,
              paths: source === undefined ? [] : paths,
              defaultRoots: format.defaultRoots(env),
              workers: { count: agentlog.config.importWorkers },
              pipeline: agentlog.ingestPipeline(),
              onProgress: (p) =>
                bar.update(
                  p.bytesDone,
                  p.bytesTotal,
                  `${p.filesDone}/${p.filesTotal} files, ${formatBytes(p.bytesDone)}`,
                ),
            });
            bar.done();
            results.push(summary);
          }
          return results;
        });
        if (options.json) writeJson(io, summaries.length === 1 ? summaries[0] : { sources: summaries });
        else for (const summary of summaries) printSummary(io, summary);
      },
    );
}

function needsPaths(source: string): AgentlogError {
  return new AgentlogError(
    'INVALID_ARGUMENT',
    `"${source}" has no default location: give the files to import.`,
    {
      hint: `For example: npx agentlog import ${source} ./export-or-directory`,
    },
  );
}

function printSummary(io: CliIo, s: ImportSummary & { detected?: Record<string, number> }): void {
  const seconds = (s.durationMs / 1000).toFixed(1);
  writeLine(
    io.stdout,
    `${s.source}: ${s.files} files (${s.filesUnchanged} unchanged, ${s.filesSkipped} skipped), ` +
      `${s.sessions} sessions, ${s.messages} messages read, ${s.newMessages} new, in ${seconds} s`,
  );
  if (s.files === 0)
    writeLine(io.stderr, `  no ${s.source} transcripts found; give a path to import from elsewhere`);
  const detected = Object.entries(s.detected ?? {});
  if (detected.length > 0)
    writeLine(io.stdout, `  formats: ${detected.map(([name, n]) => `${name} ${n}`).join(', ')}`);
  for (const f of s.skippedFiles.slice(0, shownSkips))
    writeLine(io.stdout, `  skipped file ${f.file}: ${f.reason}`);
  for (const l of s.skippedLines.slice(0, shownSkips))
    writeLine(io.stdout, `  skipped ${l.file}:${l.line}: ${l.reason}`);
  const hidden =
    Math.max(0, s.skippedFiles.length - shownSkips) + Math.max(0, s.skippedLines.length - shownSkips);
  if (hidden > 0) writeLine(io.stdout, `  … and ${hidden} more (run with --json to see them all)`);
}
