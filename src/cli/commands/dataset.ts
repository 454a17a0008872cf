import { mkdir, rename } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { Agentlog } from '../../agentlog.ts';
import { AgentlogError } from '../../domain/errors.ts';
import { datasetFormats, datasetStrategies } from '../../domain/training-file.ts';
import type {
  BuildRequest,
  BuildSummary,
  DownloadedResult,
  ValidationReport,
} from '../../datasets/dataset-contract.ts';
import { TrainingFileDownloads } from '../../datasets/downloads.ts';
import { jsonlTargets, type JsonlTarget } from '../../datasets/formats/target-format.ts';
import { loadSigningKey } from '../../datasets/signing-key.ts';
import { TrainingFiles } from '../../datasets/training-files.ts';
import { defaultFileValidation, validateFile } from '../../datasets/validate/validate-file.ts';
import { withAgentlog, type GlobalOptions } from '../context.ts';
import type { ExitStatus } from '../exit-status.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';
import { createProgressBar, formatBytes } from '../progress.ts';
import { printBuild, printFile, printValidation } from './dataset-print.ts';

export function trainingFilesOf(agentlog: Agentlog): TrainingFiles {
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

function oneOf<T extends string>(values: readonly T[], flag: string) {
  return (value: string): T => {
    const found = values.find((v) => v === value);
    if (found === undefined)
      throw new AgentlogError('INVALID_ARGUMENT', `${flag} takes ${values.join(', ')}, not "${value}".`);
    return found;
  };
}

function number(flag: string, min: number, max: number, integer = false) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n)))
      throw new AgentlogError(
        'INVALID_ARGUMENT',
        `${flag} takes a ${integer ? 'whole ' : ''}number from ${min} to ${max}, not "${value}".`,
      );
    return n;
  };
}

export function registerDataset(program: Command, io: CliIo, exit: ExitStatus): void {
  const dataset = program
    .command('dataset')
    .description(
      'Training files: curated sessions built into validated fine-tuning data (docs/DATASETS.md).',
    );
  const run = <T>(command: Command, work: (files: TrainingFiles, agentlog: Agentlog) => Promise<T>) =>
    withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), (agentlog) =>
      work(trainingFilesOf(agentlog), agentlog),
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

type Run = <T>(
  command: Command,
  work: (files: TrainingFiles, agentlog: Agentlog) => Promise<T>,
) => Promise<T>;

type BuildFlags = {
  format?: BuildRequest['format'];
  strategy?: BuildRequest['strategy'];
  system?: string;
  threshold?: number;
  maxTokens?: number;
  minExamples?: number;
  validation?: number;
  seed?: string;
  nearDuplicates?: 'drop' | 'group';
  nearThreshold?: number;
  secrets?: 'mask' | 'drop';
  pii?: boolean;
  exactTokens?: boolean;
  out?: string;
  json?: boolean;
};

function buildRequestOf(flags: BuildFlags): BuildRequest {
  const pick: [keyof BuildRequest, unknown][] = [
    ['format', flags.format],
    ['strategy', flags.strategy],
    ['systemPrompt', flags.system],
    ['qualityThreshold', flags.threshold],
    ['maxExampleTokens', flags.maxTokens],
    ['minExamples', flags.minExamples],
    ['validationFraction', flags.validation],
    ['seed', flags.seed],
    ['nearDuplicates', flags.nearDuplicates],
    ['nearDuplicateThreshold', flags.nearThreshold],
    ['secrets', flags.secrets],
    ['pii', flags.pii],
    ['exactTokens', flags.exactTokens],
  ];
  return Object.fromEntries(pick.filter(([, v]) => v !== undefined)) as BuildRequest;
}

function registerBuild(dataset: Command, io: CliIo, run: Run): void {
  dataset
    .command('build')
    .description(
      'Build a training file: examples, quality, validation, de-duplication, split, files with a manifest.',
    )
    .argument('<file>', 'training file id, id prefix or name')
    .option(
      '--format <format>',
      `${datasetFormats.join(', ')} (default openai)`,
      oneOf(datasetFormats, '--format'),
    )
    .option(
      '--strategy <strategy>',
      `${datasetStrategies.join(', ')} (default auto)`,
      oneOf(datasetStrategies, '--strategy'),
    )
    .option(
      '--system <text>',
      "the system prompt of every example ('' for none; default: each session's own)",
    )
    .option(
      '--threshold <score>',
      'drop examples scoring below this (0-1, default 0.5)',
      number('--threshold', 0, 1),
    )
    .option(
      '--max-tokens <n>',
      'tokens per example at most (default 65536)',
      number('--max-tokens', 64, 2_000_000, true),
    )
    .option(
      '--min-examples <n>',
      'fail with fewer examples (default 10)',
      number('--min-examples', 1, 1e9, true),
    )
    .option(
      '--validation <share>',
      'share of session groups in the validation split (default 0.1)',
      number('--validation', 0, 0.9),
    )
    .option('--seed <text>', 'seed of the split (default "agentlog")')
    .option(
      '--near-duplicates <mode>',
      'drop (keep the best of each cluster) or group (keep all, split together)',
      oneOf(['drop', 'group'] as const, '--near-duplicates'),
    )
    .option(
      '--near-threshold <j>',
      'similarity from which examples are near-duplicates (default 0.8)',
      number('--near-threshold', 0.3, 1),
    )
    .option(
      '--secrets <mode>',
      'mask (default) or drop examples where a secret is found',
      oneOf(['mask', 'drop'] as const, '--secrets'),
    )
    .option('--pii', 'the secret gate applies the PII rules too')
    .option('--exact-tokens', 'count every example exactly (slower)')
    .option('--out <dir>', 'also copy the files to this directory')
    .option('--json', 'print the build summary on stdout')
    .action(async (ref: string, flags: BuildFlags, command: Command) => {
      const bar = createProgressBar(io, 'building');
      const summary: BuildSummary = await run(command, (files) =>
        files.build(ref, buildRequestOf(flags), {
          ...(flags.out === undefined ? {} : { out: flags.out }),
          onProgress: (done, total) => bar.update(done, total, `${done}/${total} sessions`),
        }),
      );
      bar.done();
      if (flags.json) return writeJson(io, summary);
      printBuild(io, summary);
    });
}

type ValidateFlags = {
  format: JsonlTarget;
  maxTokens?: number;
  minExamples?: number;
  nearThreshold?: number;
  estimateTokens?: boolean;
  pii?: boolean;
  json?: boolean;
};

function registerValidate(dataset: Command, io: CliIo, exit: ExitStatus): void {
  dataset
    .command('validate')
    .description('Validate any JSONL training file before a trainer sees it (exit 9 when it has errors).')
    .argument('<file>', 'a .jsonl file')
    .option('--format <target>', `${jsonlTargets.join(', ')}`, oneOf(jsonlTargets, '--format'), 'openai')
    .option(
      '--max-tokens <n>',
      'tokens per example at most (default 65536)',
      number('--max-tokens', 64, 2_000_000, true),
    )
    .option(
      '--min-examples <n>',
      'examples needed at least (default 10)',
      number('--min-examples', 1, 1e9, true),
    )
    .option(
      '--near-threshold <j>',
      'similarity from which examples are near-duplicates (default 0.8)',
      number('--near-threshold', 0.3, 1),
    )
    .option('--estimate-tokens', 'count exactly only examples that might be over the budget (faster)')
    .option('--pii', 'report PII (e-mail, phone, IP, card numbers) as well as secrets')
    .option('--json', 'print {ok, errors, warnings, stats} on stdout')
    .addHelpText('after', '\nCodes and checks: docs/DATASETS.md (Validation).')
    .action(async (path: string, flags: ValidateFlags) => {
      const report: ValidationReport = await validateFile(resolve(path), {
        ...defaultFileValidation,
        format: flags.format,
        ...(flags.maxTokens === undefined ? {} : { maxExampleTokens: flags.maxTokens }),
        ...(flags.minExamples === undefined ? {} : { minExamples: flags.minExamples }),
        ...(flags.nearThreshold === undefined ? {} : { nearDuplicateThreshold: flags.nearThreshold }),
        exactTokens: flags.estimateTokens !== true,
        pii: flags.pii === true,
      });
      if (!report.ok) exit.code = 9;
      if (flags.json) return writeJson(io, report);
      printValidation(io, report);
    });
}

type DownloadFlags = {
  format: 'json' | 'jsonl';
  target?: JsonlTarget;
  out?: string;
  url?: boolean;
  baseUrl?: string;
  json?: boolean;
};

function registerDownload(dataset: Command, io: CliIo, run: Run): void {
  dataset
    .command('download')
    .description(
      "Copy the newest build's files out of the blob store (built now if there is none), or print signed URLs.",
    )
    .argument('<file>', 'training file id, id prefix or name')
    .option(
      '--format <kind>',
      'json (the document) or jsonl (default)',
      oneOf(['json', 'jsonl'] as const, '--format'),
      'jsonl',
    )
    .option(
      '--target <target>',
      `the JSONL target: ${jsonlTargets.join(', ')}`,
      oneOf(jsonlTargets, '--target'),
    )
    .option('--out <dir>', 'where to copy the files (default: the current directory)')
    .option('--url', 'print signed URLs for the server instead of copying (valid datasets.urlExpirySeconds)')
    .option('--base-url <url>', 'the server the URLs point at (default http://<server.host>:<server.port>)')
    .option('--json', 'print the result on stdout')
    .action(async (ref: string, flags: DownloadFlags, command: Command) => {
      const query = { format: flags.format, target: flags.target };
      if (flags.url) {
        const result = await run(command, async (files, agentlog) => {
          const config = agentlog.config;
          const downloads = new TrainingFileDownloads(
            () => loadSigningKey(config.dataDir, config.datasets.signingSecret),
            config.datasets.urlExpirySeconds,
          );
          const base = flags.baseUrl ?? `http://${config.server.host}:${config.server.port}`;
          return downloads.signed(files, ref, query, base.replace(/\/$/, ''), Date.now());
        });
        if (flags.json) return writeJson(io, result);
        for (const f of result.files) writeLine(io.stdout, `${f.name}  ${f.url}`);
        return writeLine(io.stderr, `agentlog: the links work until ${result.expiresAt}`);
      }
      const result = await run(command, async (files, agentlog) => {
        const build = await files.latestBuild(ref, flags.format, flags.target);
        const dir = resolve(flags.out ?? '.');
        await mkdir(dir, { recursive: true });
        const copied: DownloadedResult['files'] = [];
        for (const f of build.files) {
          const body = await agentlog.blobs.get(f.key);
          if (body === null)
            throw new AgentlogError('NOT_FOUND', `${f.name} of build ${build.version} is no longer stored.`, {
              hint: 'Build the file again.',
            });
          const path = join(dir, f.name);
          await pipeline(Readable.from(body), createWriteStream(`${path}.partial`));
          await rename(`${path}.partial`, path);
          copied.push({ name: f.name, role: f.role, path, bytes: f.bytes, sha256: f.sha256 });
        }
        return {
          format: build.format,
          version: build.version,
          digest: build.digest,
          files: copied,
        } satisfies DownloadedResult;
      });
      if (flags.json) return writeJson(io, result);
      for (const f of result.files) writeLine(io.stdout, `${f.path}  ${formatBytes(f.bytes)}`);
    });
}
