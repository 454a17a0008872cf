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
import { jsonlTargets, type JsonlTarget } from '../../datasets/formats/target-format.ts';
import type { TrainingFiles } from '../../datasets/training-files.ts';
import type { ExitStatus } from '../exit-status.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';
import { createProgressBar, formatBytes } from '../progress.ts';
import { printBuild, printValidation } from './dataset-print.ts';

/** `agentlog dataset build`, `validate` and `download`: the files of a training file (dataset.ts registers them). */

export function oneOf<T extends string>(values: readonly T[], flag: string) {
  return (value: string): T => {
    const found = values.find((v) => v === value);
    if (found === undefined)
      throw new AgentlogError('INVALID_ARGUMENT', `${flag} takes ${values.join(', ')}, not "${value}".`);
    return found;
  };
}

export function number(flag: string, min: number, max: number, integer = false) {
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

export type Run = <T>(
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

export function registerBuild(dataset: Command, io: CliIo, run: Run): void {
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

export function registerValidate(dataset: Command, io: CliIo, exit: ExitStatus): void {
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
      const { defaultFileValidation, validateFile } =
        await import('../../datasets/validate/validate-file.ts');
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

export function registerDownload(dataset: Command, io: CliIo, run: Run): void {
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
        const [{ TrainingFileDownloads }, { loadSigningKey }] = await Promise.all([
          import('../../datasets/downloads.ts'),
          import('../../datasets/signing-key.ts'),
        ]);
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
