import type { Command } from 'commander';
import type { Agentlog } from '../../agentlog.ts';
import { AgentlogError } from '../../domain/errors.ts';
import type { TrainingFiles } from '../../datasets/training-files.ts';
import { withAgentlog, type GlobalOptions } from '../context.ts';
import type { ExitStatus } from '../exit-status.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';
import { registerBuild, registerDownload, registerValidate } from './dataset-build.ts';
import { printFile } from './dataset-print.ts';

export async function trainingFilesOf(agentlog: Agentlog): Promise<TrainingFiles> {
  const { TrainingFiles } = await import('../../datasets/training-files.ts');
  return new TrainingFiles({
    store: agentlog.store,
    blobs: agentlog.blobs,
    projectId: agentlog.project.id,
    config: agentlog.config.datasets,
  });
}

const sessionList = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

export function registerDataset(program: Command, io: CliIo, exit: ExitStatus): void {
  const dataset = program
    .command('dataset')
    .description(
      'Training files: curated sessions built into validated fine-tuning data (docs/DATASETS.md).',
    );
  const run = <T>(command: Command, work: (files: TrainingFiles, agentlog: Agentlog) => Promise<T>) =>
    withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), async (agentlog) =>
      work(await trainingFilesOf(agentlog), agentlog),
    );

  dataset
    .command('create')
    .description('Create a training file from sessions that finished processing.')
    .argument('<name>', 'a name, unique in the project')
    .option('--sessions <ids>', 'session ids (or unique prefixes), comma-separated', sessionList)
    .option('--filter <expr>', 'a session filter: source=claude-code and messages>=4 and since=2026-01-01')
    .option('--description <text>', 'what the file is for')
    .option('--json', 'print {trainingFile, added, notFinished} on stdout')
    .addHelpText(
      'after',
      `
Filter fields: source, status, model, title, cwd, branch, id, domain, tier (=, !=, ~ contains;
a comma list means any of), messages (=, !=, >=, <=, >, <), since=DATE, until=DATE, started OP DATE.
Clauses are joined by "and". Quote values with spaces: title~"fix the build".`,
    )
    .action(
      async (
        name: string,
        options: { sessions?: string[]; filter?: string; description?: string; json?: boolean },
        command: Command,
      ) => {
        if ((options.sessions === undefined) === (options.filter === undefined))
          throw new AgentlogError('INVALID_ARGUMENT', 'Give either --sessions or --filter.', {
            hint: 'npx agentlog dataset create NAME --sessions ses_a,ses_b  or  --filter "source=claude-code"',
          });
        const result = await run(command, (files) =>
          files.create({
            name,
            ...(options.sessions === undefined ? {} : { sessions: options.sessions }),
            ...(options.filter === undefined ? {} : { filter: options.filter }),
            ...(options.description === undefined ? {} : { description: options.description }),
          }),
        );
        if (options.json) return writeJson(io, result);
        writeLine(
          io.stdout,
          `Created ${result.trainingFile.id} "${result.trainingFile.name}" with ${result.added} sessions.`,
        );
        if (result.notFinished > 0)
          writeLine(
            io.stderr,
            `agentlog: ${result.notFinished} matching sessions have not finished processing and were left out.`,
          );
      },
    );

  for (const [verb, describe] of [
    ['add', 'Add sessions to a training file (a session already in it refuses the request, naming it).'],
    ['remove', 'Remove sessions from a training file.'],
  ] as const)
    dataset
      .command(verb)
      .description(describe)
      .argument('<file>', 'training file id, id prefix or name')
      .requiredOption('--sessions <ids>', 'session ids (or unique prefixes), comma-separated', sessionList)
      .option('--json', 'print {trainingFile, sessions} on stdout')
      .action(async (ref: string, options: { sessions: string[]; json?: boolean }, command: Command) => {
        const result = await run(command, (files) =>
          verb === 'add' ? files.add(ref, options.sessions) : files.remove(ref, options.sessions),
        );
        if (options.json) return writeJson(io, result);
        const done = verb === 'add' ? 'Added' : 'Removed';
        writeLine(
          io.stdout,
          `${done} ${result.sessions.length} sessions; ${result.trainingFile.name} has ${result.trainingFile.sessionCount}.`,
        );
      });

  dataset
    .command('delete')
    .description('Delete a training file and its build records (built files stay in the blob store).')
    .argument('<file>', 'training file id, id prefix or name')
    .option('--json', 'print {deleted} on stdout')
    .action(async (ref: string, options: { json?: boolean }, command: Command) => {
      const result = await run(command, (files) => files.delete(ref));
      if (options.json) return writeJson(io, result);
      writeLine(io.stdout, `Deleted ${result.deleted}.`);
    });

  dataset
    .command('list')
    .description('List training files, newest first.')
    .option('--json', 'print {trainingFiles} on stdout')
    .action(async (options: { json?: boolean }, command: Command) => {
      const result = await run(command, (files) => files.list());
      if (options.json) return writeJson(io, result);
      if (result.trainingFiles.length === 0)
        return writeLine(io.stderr, 'No training files yet: npx agentlog dataset create NAME --sessions …');
      for (const f of result.trainingFiles)
        writeLine(
          io.stdout,
          `${f.id}  ${f.name.padEnd(24)}  ${String(f.sessionCount).padStart(6)} sessions  ${new Date(f.updatedAt).toISOString().slice(0, 16).replace('T', ' ')}`,
        );
    });

  dataset
    .command('show')
    .description('Show a training file and its builds.')
    .argument('<file>', 'training file id, id prefix or name')
    .option('--json', 'print {trainingFile, builds} on stdout')
    .action(async (ref: string, options: { json?: boolean }, command: Command) => {
      const result = await run(command, (files) => files.show(ref));
      if (options.json) return writeJson(io, result);
      printFile(io, result);
    });

  dataset
    .command('sessions')
    .description("List a training file's sessions.")
    .argument('<file>', 'training file id, id prefix or name')
    .option('--json', 'print {sessions} on stdout')
    .action(async (ref: string, options: { json?: boolean }, command: Command) => {
      const result = await run(command, (files) => files.sessions(ref));
      if (options.json) return writeJson(io, result);
      for (const s of result.sessions)
        writeLine(
          io.stdout,
          `${s.sessionId}  ${(s.source ?? 'missing').padEnd(12)}  ${(s.status ?? '').padEnd(10)}  ${String(s.messageCount).padStart(5)} msgs  ${s.title ?? ''}`,
        );
    });

  registerBuild(dataset, io, run);
  registerValidate(dataset, io, exit);
  registerDownload(dataset, io, run);
}
