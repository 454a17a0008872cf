import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildOptions } from '../../config/datasets-config.ts';
import { AgentlogError } from '../../domain/errors.ts';
import type { TrainingFile } from '../../domain/training-file.ts';
import type { BlobStore, Store } from '../../storage/ports.ts';
import type { BuildSummary } from '../dataset-contract.ts';
import { targetFormats } from '../formats/formats.ts';
import type { TargetFormat } from '../formats/target-format.ts';
import { loadCountTokens, TokenMeter } from '../token-meter.ts';
import { summaryOf } from './build-summary.ts';
import { SessionJudge } from './judge-sessions.ts';
import { documentSchema } from './manifest.ts';
import { DocumentSink, JsonlSink, ParquetSink, type OutputFile, type OutputSink } from './output-sinks.ts';
import { publishFiles, stageManifest } from './publish-build.ts';
import { settleExamples, type Settlement } from './settle-examples.ts';
import { tallyExamples, type ExampleTally } from './tally-examples.ts';
import { writeExamples } from './write-examples.ts';

export { buildKey } from './publish-build.ts';

export type BuildDeps = { store: Store; blobs: BlobStore };

export type BuildRequest = {
  file: TrainingFile;
  options: BuildOptions;
  /** A directory to copy the built files into, besides the blob store. */
  out?: string;
  now: number;
  onProgress?: (sessionsDone: number, sessionsTotal: number) => void;
};

/** The format each example is written in (and validated as): the target, or OpenAI's for Parquet and JSON. */
function lineFormatOf(options: BuildOptions): TargetFormat {
  return options.format === 'parquet' || options.format === 'json'
    ? targetFormats.openai
    : targetFormats[options.format];
}

/**
 * Builds a training file: judges every example of its sessions and spools the kept ones written
 * and validated (first pass), settles near-duplicates and the split, copies the survivors into
 * the split files (second pass), writes the manifest, and only then publishes the files to the
 * blob store (and --out) and records the build as the file's next version. A failure anywhere
 * before that publishes nothing.
 */
export async function buildTrainingFile(deps: BuildDeps, request: BuildRequest): Promise<BuildSummary> {
  const { file, options } = request;
  const staging = await mkdtemp(join(tmpdir(), 'agentlog-build-'));
  try {
    const { judge, sessionsTotal } = await judgeSessions(deps.store, request, staging);
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
    try {
      await writeExamples(spool.path, settlement, sink);
    } catch (error) {
      sink.abort();
      throw error;
    }
    const outputs: OutputFile[] = await sink.finish();
    if (options.format !== 'json') outputs.push({ name: 'dropped.jsonl', role: 'dropped', ...dropped });
    const manifest = await stageManifest(staging, {
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
    outputs.push(manifest.file);
    const files = await publishFiles(deps.blobs, file.id, manifest.digest, outputs, request.out);
    const summary = summaryOf({
      digest: manifest.digest,
      file,
      options,
      judge,
      settlement,
      tally,
      files,
      sessionsTotal,
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

/** The first pass, over the file's sessions in id order. */
async function judgeSessions(
  store: Store,
  request: BuildRequest,
  staging: string,
): Promise<{ judge: SessionJudge; sessionsTotal: number }> {
  const sessionIds: string[] = [];
  for await (const member of store.trainingFileSessions(request.file.id)) sessionIds.push(member.sessionId);
  const meter = new TokenMeter(await loadCountTokens(), request.options.exactTokens);
  const judge = new SessionJudge(store, request.options, meter, lineFormatOf(request.options), staging);
  try {
    for (const [i, id] of sessionIds.entries()) {
      await judge.session(id);
      request.onProgress?.(i + 1, sessionIds.length);
    }
  } catch (error) {
    judge.abort();
    throw error;
  }
  return { judge, sessionsTotal: sessionIds.length };
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
      schema: documentSchema,
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
