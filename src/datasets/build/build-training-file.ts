import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildOptions } from '../../config/datasets-config.ts';
import { AgentlogError } from '../../domain/errors.ts';
import type { TrainingFile } from '../../domain/training-file.ts';
import type { BlobStore, Store } from '../../storage/ports.ts';
import type { BuildSummary } from '../dataset-contract.ts';
import { lazyCountTokens, TokenMeter } from '../token-meter.ts';
import { summaryOf } from './build-summary.ts';
import { ExampleSieve } from './example-sieve.ts';
import { JudgePool } from './judge-pool.ts';
import { SessionJudge } from './judge-sessions.ts';
import { lineFormatOf } from './line-format.ts';
import { readSession } from './session-source.ts';
import { workSession, type SessionOutcome } from './session-work.ts';
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
  /** Worker threads for the first pass (0: this thread only); not part of the build's identity. */
  workers?: number;
};

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

/** Sessions in flight per worker thread: enough to keep each busy while this thread reads. */
const perWorker = 3;
/** Below this many sessions, starting worker threads (a second or so each) costs more than it saves. */
const minSessionsForWorkers = 400;

/**
 * The first pass, over the file's sessions in id order: this thread reads each session (the one
 * store connection) and judges it, or hands it to a worker thread; outcomes are taken in session
 * order either way, so the output does not depend on the number of threads.
 */
async function judgeSessions(
  store: Store,
  request: BuildRequest,
  staging: string,
): Promise<{ judge: SessionJudge; sessionsTotal: number }> {
  const { options } = request;
  const sessionIds: string[] = [];
  for await (const member of store.trainingFileSessions(request.file.id)) sessionIds.push(member.sessionId);
  const judge = new SessionJudge(options, staging);
  const threads = sessionIds.length >= minSessionsForWorkers ? (request.workers ?? 0) : 0;
  const pool = threads > 0 ? new JudgePool(threads, options) : null;
  const meter = pool === null ? new TokenMeter(lazyCountTokens(), options.exactTokens) : null;
  const local =
    meter === null
      ? null
      : { options, meter, sieve: new ExampleSieve(options, meter, lineFormatOf(options)) };
  const inFlight: Promise<SessionOutcome | null>[] = [];
  const take = async () => {
    await judge.absorb(await inFlight.shift()!);
    request.onProgress?.(judge.sessions.length + judge.missing, sessionIds.length);
  };
  try {
    for (const id of sessionIds) {
      const input = await readSession(store, id);
      if (input === null) inFlight.push(Promise.resolve(null));
      else if (pool !== null) inFlight.push(pool.judge(input));
      else inFlight.push(Promise.resolve(workSession(input, local!)));
      if (inFlight.length > (pool?.size ?? 0) * perWorker) await take();
    }
    while (inFlight.length > 0) await take();
  } catch (error) {
    judge.abort();
    // Outcomes still on their way are not awaited: the build has failed.
    for (const waiting of inFlight) waiting.catch(() => {});
    throw error;
  } finally {
    await pool?.close();
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
