import { copyFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BuildOptions } from '../../config/datasets-config.ts';
import { AgentlogError } from '../../domain/errors.ts';
import type { BuildFile, TrainingFile } from '../../domain/training-file.ts';
import type { BlobStore, Store } from '../../storage/ports.ts';
import type { BuildSummary } from '../dataset-contract.ts';
import { targetFormats } from '../formats/formats.ts';
import type { TargetFormat } from '../formats/target-format.ts';
import { loadCountTokens, TokenMeter } from '../token-meter.ts';
import { SessionJudge } from './judge-sessions.ts';
import { manifestText } from './manifest.ts';
import { DocumentSink, JsonlSink, ParquetSink, type OutputFile, type OutputSink } from './output-sinks.ts';
import { settleExamples, type Settlement } from './settle-examples.ts';
import { tallyExamples, type ExampleTally } from './tally-examples.ts';
import { summaryOf } from './build-summary.ts';
import { writeExamples } from './write-examples.ts';

export type BuildDeps = { store: Store; blobs: BlobStore };

export type BuildRequest = {
  file: TrainingFile;
  options: BuildOptions;
  /** A directory to copy the built files into, besides the blob store. */
  out?: string;
  now: number;
  onProgress?: (sessionsDone: number, sessionsTotal: number) => void;
};

/** Where a build's files live in the blob store: content-addressed by the manifest's digest. */
export function buildKey(fileId: string, digest: string, name: string): string {
  return `training-files/${fileId}/${digest}/${name}`;
}

/** The format each example is written in (and validated as): the target, or OpenAI's for Parquet and JSON. */
function lineFormatOf(options: BuildOptions): TargetFormat {
  return options.format === 'parquet' || options.format === 'json'
    ? targetFormats.openai
    : targetFormats[options.format];
}

/**
 * Builds a training file: judges every example of its sessions (first pass, streamed to a spool
 * file), settles near-duplicates and the split, writes and re-validates each kept example in the
 * format asked for (second pass), writes the manifest, and only then publishes the files to the
 * blob store (and --out) and records the build as the file's next version. A failure anywhere
 * before that publishes nothing.
 */
export async function buildTrainingFile(deps: BuildDeps, request: BuildRequest): Promise<BuildSummary> {
  const { file, options } = request;
  const sessionIds: string[] = [];
  for await (const member of deps.store.trainingFileSessions(file.id)) sessionIds.push(member.sessionId);
  const staging = await mkdtemp(join(tmpdir(), 'agentlog-build-'));
  try {
    const meter = new TokenMeter(await loadCountTokens(), options.exactTokens);
    const format = lineFormatOf(options);
    const judge = new SessionJudge(deps.store, options, meter, format, staging);
    try {
      for (const [i, id] of sessionIds.entries()) {
        await judge.session(id);
        request.onProgress?.(i + 1, sessionIds.length);
      }
    } catch (error) {
      judge.abort();
      throw error;
    }
    const spool = await judge.spool.close();
    const settlement = await settleExamples(judge, options);
    const dropped = await judge.dropped.close();
    const tally = tallyExamples(judge, settlement);
    if (tally.examples < options.minExamples) throw tooFew(file, tally, options);
    const sink = await sinkFor(options, staging, {
      file,
      judge,
      tally,
      settlement,
      droppedPath: dropped.path,
    });
    let written;
    try {
      written = await writeExamples(spool.path, settlement, format, judge.sieve.gate, sink);
    } catch (error) {
      sink.abort();
      throw error;
    }
    const outputs = await sink.finish();
    if (options.format !== 'json')
      outputs.push({
        name: 'dropped.jsonl',
        role: 'dropped',
        path: dropped.path,
        bytes: dropped.bytes,
        sha256: dropped.sha256,
        records: dropped.records,
      });
    const manifest = manifestText({
      file: { id: file.id, name: file.name },
      format: options.format,
      options,
      inputs: judge.sessions.map((s) => ({ session: s.session, messages: s.messages, sha256: s.sha256 })),
      outputs: outputs.map(({ name, role, records, bytes, sha256 }) => ({
        name,
        role,
        records,
        bytes,
        sha256,
      })),
      counts: {
        examples: tally.examples,
        train: tally.train,
        validation: tally.validation,
        dropped: tally.droppedByReason,
      },
    });
    const manifestPath = join(staging, 'manifest.json');
    await writeFile(manifestPath, manifest.text);
    const bytes = Buffer.byteLength(manifest.text, 'utf8');
    outputs.push({
      name: 'manifest.json',
      role: 'manifest',
      path: manifestPath,
      bytes,
      sha256: manifest.digest,
      records: 0,
    });
    const files = await publish(deps.blobs, file.id, manifest.digest, outputs, request.out);
    const summary = summaryOf({
      digest: manifest.digest,
      file,
      options,
      judge,
      settlement,
      tally,
      written,
      files,
      sessionsTotal: sessionIds.length,
    });
    const build = await deps.store.recordTrainingFileBuild({
      fileId: file.id,
      format: options.format,
      digest: manifest.digest,
      createdAt: request.now,
      files: files.map(({ path: _path, ...f }) => f),
      summary,
    });
    return { ...summary, version: build.version };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

type SinkContext = {
  file: TrainingFile;
  judge: SessionJudge;
  tally: ExampleTally;
  settlement: Settlement;
  droppedPath: string;
};

async function sinkFor(options: BuildOptions, dir: string, context: SinkContext): Promise<OutputSink> {
  if (options.format === 'parquet') return new ParquetSink(dir);
  if (options.format !== 'json') return new JsonlSink(dir);
  const { file, judge, tally } = context;
  return DocumentSink.open(
    dir,
    {
      schema: 'agentlog.training-file/1',
      file: {
        id: file.id,
        name: file.name,
        description: file.description,
        createdAt: file.createdAt,
        sessions: file.sessionCount,
      },
      configuration: options,
      quality: tally.quality,
      split: { train: tally.train, validation: tally.validation, groups: context.settlement.groups },
      distribution: tally.distribution,
      conversations: judge.sessions,
    },
    context.droppedPath,
  );
}

/** Copies the staged files to the blob store (and --out), each whole or not at all. */
async function publish(
  blobs: BlobStore,
  fileId: string,
  digest: string,
  outputs: OutputFile[],
  out: string | undefined,
): Promise<(BuildFile & { path?: string })[]> {
  const target = out === undefined ? undefined : resolve(out);
  if (target !== undefined)
    await mkdir(target, { recursive: true }).catch((cause: unknown) => {
      throw new AgentlogError('INVALID_ARGUMENT', `Cannot create ${target}.`, {
        hint: 'Choose a writable --out.',
        cause,
      });
    });
  const files: (BuildFile & { path?: string })[] = [];
  for (const output of outputs) {
    const key = buildKey(fileId, digest, output.name);
    const stored = await blobs.put(key, createReadStream(output.path));
    const entry: BuildFile & { path?: string } = {
      name: output.name,
      role: output.role,
      key,
      bytes: stored.size,
      sha256: output.sha256,
      records: output.records,
    };
    if (target !== undefined) {
      const path = join(target, output.name);
      await copyFile(output.path, `${path}.partial`);
      await rename(`${path}.partial`, path);
      entry.path = path;
    }
    files.push(entry);
  }
  return files;
}

function tooFew(file: TrainingFile, tally: ExampleTally, options: BuildOptions): AgentlogError {
  const reasons = Object.entries(tally.droppedByReason)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  return new AgentlogError(
    'VALIDATION_FAILED',
    `${file.name} gives ${tally.examples} examples; at least ${options.minExamples} are needed. Nothing was written.`,
    {
      hint: `Add sessions (npx agentlog dataset add), or lower minExamples.${reasons === '' ? '' : ` Dropped: ${reasons}.`}`,
    },
  );
}
