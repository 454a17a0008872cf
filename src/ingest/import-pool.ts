import { Worker } from 'node:worker_threads';
import type { PipelineSettings } from '../enrich/ingest-pipeline.ts';
import { AgentlogError, errorCodes, type ErrorCode } from '../domain/errors.ts';
import type { Store } from '../storage/ports.ts';
import type { FileOutcome } from './import-file.ts';
import { ImportWriter } from './import-writer.ts';

/** How an import may use worker threads. */
export type ImportWorkers = {
  /** Worker threads; 0 means one per core. */
  count: number;
  /** Below this many bytes to read, starting workers costs more than it saves (default 16 MiB). */
  minBytes?: number;
};

/** What a worker is started with (its `workerData`). */
export type WorkerInit = {
  projectId: number;
  source: string;
  /** The settings of the import's pipeline: each worker builds its own from them. */
  pipeline?: PipelineSettings;
  /** Batch bytes the worker may have queued or committing while it reads on. */
  budgetBytes: number;
};

/** The store methods a worker calls, run for it by the pool on the one connection that writes. */
export const remoteMethods = ['write', 'getSourceFile', 'storedVersions'] as const;
export type RemoteMethod = (typeof remoteMethods)[number];

/** The messages between the pool and its workers: this is their one definition. */
export type ToWorker =
  | { type: 'file'; path: string }
  | { type: 'reply'; id: number; value?: unknown; error?: SerializedError }
  | { type: 'close' };
export type FromWorker =
  | { type: 'bytes'; bytes: number }
  | { type: 'call'; id: number; method: RemoteMethod; args: unknown[] }
  | { type: 'done'; path: string; outcome: FileOutcome }
  | { type: 'failed'; path: string; error: SerializedError };

export type SerializedError = { message: string; code?: string; hint?: string; stack?: string };

export type PoolOptions = {
  /** Worker threads that read and parse; this thread writes. */
  workers: number;
  store: Store;
  init: Omit<WorkerInit, 'budgetBytes'>;
  onBytes: (bytes: number) => void;
  onOutcome: (path: string, outcome: FileOutcome) => void;
};

/** Files sent ahead to each worker, so it never waits for the next one. */
const perWorkerInFlight = 4;

/** Batch bytes (compressed raw) a worker may have queued or committing while it reads on. */
const laneBudgetBytes = 1 << 20;

/** Young-generation size of a worker's heap: big enough for a batch, small enough to keep RSS down. */
const workerYoungGenerationMb = 8;

type Lane = {
  queue: { path: string; size: number }[];
  writer: ImportWriter;
  options: PoolOptions;
  fail: (error: unknown) => void;
};

/**
 * Imports files on worker threads. Each reads and parses files through the same importFile as
 * an in-process import; all batches are written here, on the one store connection (one writer
 * keeps SQLite's page cache warm, needs no locking, and lets batches from several files share a
 * transaction). This thread does nothing else, so writes never wait for parsing, and its heap
 * holds only batches on their way to the store. Workers read on while their batches commit
 * (write-behind), and a file is reported once all of it is committed. Files go out largest first
 * to whichever worker is free. After a failure no new file is started; files under way finish,
 * then the first error is thrown.
 */
export async function importInWorkers(
  files: { path: string; size: number }[],
  options: PoolOptions,
): Promise<void> {
  const queue = [...files].sort((a, b) => b.size - a.size);
  let failure: unknown = null;
  const lane: Lane = {
    queue,
    writer: new ImportWriter(options.store),
    options,
    fail: (error) => {
      failure ??= error;
      queue.length = 0;
    },
  };
  const lanes = Math.max(1, Math.min(options.workers, queue.length));
  const running: Promise<void>[] = [];
  for (let i = 0; i < lanes; i++) running.push(workerLane(lane));
  await Promise.all(running);
  if (failure !== null) throw failure;
}

function workerLane({ queue, writer, options, fail }: Lane): Promise<void> {
  const worker = new Worker(new URL('./import-worker.ts', import.meta.url), {
    workerData: { ...options.init, budgetBytes: laneBudgetBytes } satisfies WorkerInit,
    resourceLimits: { maxYoungGenerationSizeMb: workerYoungGenerationMb },
  });
  const send = (message: ToWorker) => worker.postMessage(message);
  let inFlight = 0;
  const feed = () => {
    while (inFlight < perWorkerInFlight && queue.length > 0) {
      send({ type: 'file', path: queue.shift()!.path });
      inFlight++;
    }
    if (inFlight === 0) send({ type: 'close' });
  };
  worker.on('message', (message: FromWorker) => {
    switch (message.type) {
      case 'bytes':
        options.onBytes(message.bytes);
        return;
      case 'call':
        call(writer, message).then(
          (value) => send({ type: 'reply', id: message.id, value }),
          (error: unknown) => send({ type: 'reply', id: message.id, error: serializeError(error) }),
        );
        return;
      case 'done':
        options.onOutcome(message.path, message.outcome);
        break;
      case 'failed':
        fail(reviveError(message.error));
        break;
      default:
        message satisfies never;
    }
    inFlight--;
    feed();
  });
  worker.on('error', fail);
  feed();
  return new Promise((resolve) => {
    worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`an import worker stopped with exit code ${code}`));
      resolve();
    });
  });
}

function call(writer: ImportWriter, message: Extract<FromWorker, { type: 'call' }>): Promise<unknown> {
  switch (message.method) {
    case 'write':
      return writer.write(...(message.args as Parameters<Store['write']>));
    case 'getSourceFile':
      return writer.store.getSourceFile(...(message.args as Parameters<Store['getSourceFile']>));
    case 'storedVersions':
      return writer.store.storedVersions(...(message.args as Parameters<Store['storedVersions']>));
    default:
      return message.method satisfies never;
  }
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { message: String(error) };
  const out: SerializedError = { message: error.message };
  if (error.stack !== undefined) out.stack = error.stack;
  if (error instanceof AgentlogError) {
    out.code = error.code;
    if (error.hint !== undefined) out.hint = error.hint;
  }
  return out;
}

export function reviveError(error: SerializedError): Error {
  if (error.code !== undefined && error.code in errorCodes)
    return new AgentlogError(error.code as ErrorCode, error.message, error.hint ? { hint: error.hint } : {});
  const revived = new Error(error.message);
  if (error.stack !== undefined) revived.stack = error.stack;
  return revived;
}
