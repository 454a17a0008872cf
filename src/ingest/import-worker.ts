import { parentPort, workerData } from 'node:worker_threads';
import { IngestPipeline } from '../enrich/ingest-pipeline.ts';
import { AgentlogError } from '../domain/errors.ts';
import { sourceFormat } from '../sources/registry.ts';
import type { Store, WriteBatch, WriteResult } from '../storage/ports.ts';
import { importFile } from './import-file.ts';
import {
  remoteMethods,
  reviveError,
  serializeError,
  type FromWorker,
  type RemoteMethod,
  type ToWorker,
  type WorkerInit,
} from './import-pool.ts';

/**
 * A worker thread of an import (see import-pool.ts): imports the files it is sent, one after
 * another, through the same importFile as an in-process import. Its store is the pool's: each
 * call goes to the thread that owns the connection and comes back with the result.
 */
const port = parentPort!;
const init = workerData as WorkerInit;
const format = sourceFormat(init.source);
const pipeline = new IngestPipeline(init.pipeline);
const post = (message: FromWorker) => port.postMessage(message);

const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
let nextCall = 0;
const call = (method: RemoteMethod, args: unknown[]) => {
  const id = nextCall++;
  post({ type: 'call', id, method, args });
  return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
};

/**
 * Write-behind: a batch goes to the writing thread and reading goes on at once, while it commits;
 * the next batch first waits for that commit (one batch in flight at most, so memory stays
 * bounded). The writer's answer arrives later, so a file's new-message count is summed from the
 * commits, and its outcome is posted only when all its batches are committed.
 */
let inFlight: Promise<unknown> = Promise.resolve();
let committedNew = 0;
const pending: WriteResult = { newMessages: 0, duplicateMessages: 0, newRawRecords: 0, messageStatus: [] };
async function writeBehind(batch: WriteBatch): Promise<WriteResult> {
  await inFlight;
  const written = call('write', [batch]).then((result) => {
    committedNew += (result as WriteResult).newMessages;
  });
  inFlight = written;
  written.catch(() => {}); // reported by the next write or by importOne, whichever awaits it
  return pending;
}

const store = remoteStore((method, args) =>
  method === 'write' ? writeBehind(args[0] as WriteBatch) : call(method, args),
);

let work: Promise<void> = Promise.resolve();
port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'file':
      work = work.then(() => importOne(message.path));
      return;
    case 'reply': {
      const call = waiting.get(message.id)!;
      waiting.delete(message.id);
      if (message.error === undefined) call.resolve(message.value);
      else call.reject(reviveError(message.error));
      return;
    }
    case 'close':
      void work.finally(() => port.close());
      return;
    default:
      message satisfies never;
  }
});

async function importOne(path: string): Promise<void> {
  committedNew = 0;
  try {
    const outcome = await importFile({
      store,
      projectId: init.projectId,
      format,
      path,
      onBytes: (bytes) => post({ type: 'bytes', bytes }),
      pipeline,
    });
    await inFlight;
    if (outcome.status === 'imported') outcome.newMessages = committedNew;
    post({ type: 'done', path, outcome });
  } catch (error) {
    await inFlight.catch(() => {});
    post({ type: 'failed', path, error: serializeError(error) });
  } finally {
    inFlight = Promise.resolve();
  }
}

/** A Store whose import-path methods run in the pool's thread; importFile needs no others. */
function remoteStore(call: (method: RemoteMethod, args: unknown[]) => Promise<unknown>): Store {
  const remote = new Set<string | symbol>(remoteMethods);
  return new Proxy({} as Store, {
    get(_target, key) {
      if (remote.has(key)) return (...args: unknown[]) => call(key as RemoteMethod, args);
      if (key === 'then') return undefined;
      throw new AgentlogError('INTERNAL', `Store.${String(key)} is not available in an import worker.`);
    },
  });
}
