import { Worker } from 'node:worker_threads';
import type { Config } from '../config/config.ts';
import { AgentlogError, errorCodes, type ErrorCode } from '../domain/errors.ts';
import type { FileOutcome } from './import-file.ts';

/** How an import may use worker threads: how many, and the configuration each opens the store with. */
export type ImportWorkers = {
  count: number;
  config: Config;
  /** Below this many bytes to read, starting workers costs more than it saves (default 16 MiB). */
  minBytes?: number;
};

/** What a worker is started with (its `workerData`). */
export type WorkerInit = {
  config: Config;
  projectId: number;
  source: string;
  /** One Int32 cell: the write lock the workers take around each transaction. */
  writeLock: SharedArrayBuffer;
};

/** The messages between the pool and its workers: this is their one definition. */
export type ToWorker = { type: 'file'; path: string } | { type: 'close' };
export type FromWorker =
  | { type: 'bytes'; bytes: number }
  | { type: 'done'; path: string; outcome: FileOutcome }
  | { type: 'failed'; path: string; error: SerializedError };

export type SerializedError = { message: string; code?: string; hint?: string; stack?: string };

export type PoolOptions = {
  workers: number;
  init: Omit<WorkerInit, 'writeLock'>;
  onBytes: (bytes: number) => void;
  onOutcome: (path: string, outcome: FileOutcome) => void;
};

/** Files sent ahead to each worker, so it never waits for the next one. */
const perWorkerInFlight = 2;

/**
 * Imports files on worker threads, each with its own store connection, taking turns to write
 * (SQLite has one writer at a time; the lock hands the turn over at once instead of polling).
 * Files go out largest first to whichever worker is free. After a failure no new file is started;
 * files under way finish, then the first error is thrown.
 */
export function importInWorkers(
  files: { path: string; size: number }[],
  options: PoolOptions,
): Promise<void> {
  const queue = [...files].sort((a, b) => b.size - a.size);
  const init: WorkerInit = { ...options.init, writeLock: new SharedArrayBuffer(4) };
  const count = Math.max(1, Math.min(options.workers, queue.length));
  return new Promise((resolve, reject) => {
    let running = count;
    let failure: unknown = null;
    const fail = (error: unknown) => {
      failure ??= error;
      queue.length = 0;
    };
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL('./import-worker.ts', import.meta.url), { workerData: init });
      let inFlight = 0;
      const feed = () => {
        while (inFlight < perWorkerInFlight && queue.length > 0) {
          worker.postMessage({ type: 'file', path: queue.shift()!.path } satisfies ToWorker);
          inFlight++;
        }
        if (inFlight === 0) worker.postMessage({ type: 'close' } satisfies ToWorker);
      };
      worker.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'bytes':
            options.onBytes(message.bytes);
            return;
          case 'done':
            options.onOutcome(message.path, message.outcome);
            break;
          case 'failed':
            fail(revive(message.error));
            break;
          default:
            message satisfies never;
        }
        inFlight--;
        feed();
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (code !== 0) fail(new Error(`an import worker stopped with exit code ${code}`));
        if (--running > 0) return;
        if (failure === null) resolve();
        else reject(failure);
      });
      feed();
    }
  });
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

function revive(error: SerializedError): Error {
  if (error.code !== undefined && error.code in errorCodes)
    return new AgentlogError(error.code as ErrorCode, error.message, error.hint ? { hint: error.hint } : {});
  const revived = new Error(error.message);
  if (error.stack !== undefined) revived.stack = error.stack;
  return revived;
}
