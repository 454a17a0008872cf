import { parentPort, workerData } from 'node:worker_threads';
import { AgentlogError } from '../domain/errors.ts';
import { IngestPipeline } from '../enrich/ingest-pipeline.ts';
import { sourceFormat } from '../sources/registry.ts';
import type { Store, WriteBatch, WriteResult } from '../storage/ports.ts';
import { importFile } from './import-file.ts';
import {
  reviveError,
  serializeError,
  type FromWorker,
  type RemoteMethod,
  type ToWorker,
  type WorkerInit,
} from './import-pool.ts';
import { WriteBehind } from './write-behind.ts';

/**
 * A worker thread of an import (see import-pool.ts): reads the files it is sent, one after
 * another, through the same importFile as an in-process import. Its store is the pool's: each
 * call goes to the thread that owns the connection. Writes are write-behind, so the worker reads
 * on while they commit; a file is reported when all of it is committed.
 */
const port = parentPort!;
const init = workerData as WorkerInit;
const format = sourceFormat(init.source);
const pipeline = new IngestPipeline(init.pipeline);
const post = (message: FromWorker) => port.postMessage(message);

const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
let nextCall = 0;
function call(method: RemoteMethod, args: unknown[]): Promise<unknown> {
  const id = nextCall++;
  post({ type: 'call', id, method, args });
  return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
}

const behind = new WriteBehind(
  (batch: WriteBatch) => call('write', [batch]) as Promise<WriteResult>,
  init.budgetBytes,
);
const settling = new Set<Promise<void>>();
let reading: Promise<void> = Promise.resolve();

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'file':
      reading = reading.then(() => importOne(message.path));
      return;
    case 'reply': {
      const pending = waiting.get(message.id)!;
      waiting.delete(message.id);
      if (message.error === undefined) pending.resolve(message.value);
      else pending.reject(reviveError(message.error));
      return;
    }
    case 'close':
      void reading.then(() => Promise.all(settling)).finally(() => port.close());
      return;
    default:
      message satisfies never;
  }
});

async function importOne(path: string): Promise<void> {
  const writes = behind.file();
  try {
    const outcome = await importFile({
      store: remoteStore(writes.write),
      projectId: init.projectId,
      format,
      path,
      onBytes: (bytes) => post({ type: 'bytes', bytes }),
      pipeline,
    });
    const reported = writes.settled().then(
      (newMessages) => {
        if (outcome.status === 'imported') outcome.newMessages = newMessages;
        post({ type: 'done', path, outcome });
      },
      (error: unknown) => post({ type: 'failed', path, error: serializeError(error) }),
    );
    settling.add(reported);
    void reported.finally(() => settling.delete(reported));
  } catch (error) {
    await writes.settled().catch(() => {});
    post({ type: 'failed', path, error: serializeError(error) });
  }
}

/** A Store for importFile: writes go through write-behind, reads to the pool; nothing else is needed. */
function remoteStore(write: Store['write']): Store {
  return new Proxy({} as Store, {
    get(_target, key) {
      if (key === 'write') return write;
      if (key === 'getSourceFile') return (...args: unknown[]) => call('getSourceFile', args);
      if (key === 'storedVersions') return (...args: unknown[]) => call('storedVersions', args);
      if (key === 'then') return undefined;
      throw new AgentlogError('INTERNAL', `Store.${String(key)} is not available in an import worker.`);
    },
  });
}
