import { parentPort, workerData } from 'node:worker_threads';
import { createStore } from '../agentlog.ts';
import { sourceFormat } from '../sources/registry.ts';
import type { Store, WriteBatch } from '../storage/ports.ts';
import { importFile } from './import-file.ts';
import { serializeError, type FromWorker, type ToWorker, type WorkerInit } from './import-pool.ts';

/**
 * A worker thread of an import (see import-pool.ts): imports the files it is sent, one after
 * another, through the same importFile as an in-process import, with its own store connection.
 * It is an entry point, so like the CLI it builds its store through the composition root.
 */
const port = parentPort!;
const init = workerData as WorkerInit;
const store = createStore(init.config);
const gated = withWriteLock(store, new Int32Array(init.writeLock));
const format = sourceFormat(init.source);
const post = (message: FromWorker) => port.postMessage(message);

let work: Promise<void> = Promise.resolve();
port.on('message', (message: ToWorker) => {
  if (message.type === 'close') {
    work = work.then(() => store.close()).finally(() => port.close());
    return;
  }
  work = work.then(() => importOne(message.path));
});

async function importOne(path: string): Promise<void> {
  try {
    const outcome = await importFile({
      store: gated,
      projectId: init.projectId,
      format,
      path,
      onBytes: (bytes) => post({ type: 'bytes', bytes }),
    });
    post({ type: 'done', path, outcome });
  } catch (error) {
    post({ type: 'failed', path, error: serializeError(error) });
  }
}

/** The store with its writes taken in turn with the other workers (SQLite has one writer). */
function withWriteLock(inner: Store, cell: Int32Array): Store {
  const write = async (batch: WriteBatch) => {
    while (Atomics.compareExchange(cell, 0, 0, 1) !== 0) Atomics.wait(cell, 0, 1);
    try {
      return await inner.write(batch);
    } finally {
      Atomics.store(cell, 0, 0);
      Atomics.notify(cell, 0, 1);
    }
  };
  return new Proxy(inner, {
    get(target, key) {
      if (key === 'write') return write;
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
