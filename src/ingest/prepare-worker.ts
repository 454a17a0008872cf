import { parentPort } from 'node:worker_threads';
import { IngestPipeline } from '../enrich/ingest-pipeline.ts';
import { serializeError } from './import-pool.ts';
import type { FromPrepareWorker, ToPrepareWorker } from './prepare-pool.ts';
import { prepareItem, type PreparedItem } from './prepared-item.ts';
import { decodeInputs, encodePrepared } from './prepare-wire.ts';

/**
 * A worker thread of the prepare pool: redacts, enriches, hashes and compresses the records it
 * is sent, in the order they arrive, with one pipeline per pipeline key (its tool call memory
 * sees a project's records in the same order as a pipeline on the writing thread would).
 */
const port = parentPort!;
const pipelines = new Map<number, IngestPipeline>();

port.on('message', (message: ToPrepareWorker) => {
  let reply: FromPrepareWorker;
  try {
    if (message.settings !== undefined) pipelines.set(message.pipeline, new IngestPipeline(message.settings));
    const pipeline = pipelines.get(message.pipeline);
    if (pipeline === undefined) throw new Error(`prepare worker: unknown pipeline ${message.pipeline}`);
    const inputs = decodeInputs(message.items);
    const items: PreparedItem[] = inputs.map((item) => prepareItem(pipeline, item.record, item.raw));
    reply = { id: message.id, items: encodePrepared(items, inputs) };
  } catch (error) {
    reply = { id: message.id, error: serializeError(error) };
  }
  port.postMessage(reply);
});
