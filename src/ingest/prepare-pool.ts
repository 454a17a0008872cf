import { Worker } from 'node:worker_threads';
import type { IngestPipeline, PipelineSettings } from '../enrich/ingest-pipeline.ts';
import { reviveError, type SerializedError } from './import-pool.ts';
import type { PreparedItem } from './prepared-item.ts';
import { decodePrepared, encodeInputs, type PrepareInput, type Wire } from './prepare-wire.ts';

/** The messages between the pool and its workers: this is their one definition. */
export type ToPrepareWorker = {
  id: number;
  /** Which pipeline prepares these; `settings` comes with a pipeline's first request to a worker. */
  pipeline: number;
  settings?: PipelineSettings;
  items: Wire<PrepareInput>;
};
export type FromPrepareWorker =
  { id: number; items: Wire<PreparedItem> } | { id: number; error: SerializedError };

type Pending = {
  pipeline: number;
  /** The inputs as sent: the answer leaves out what they already hold. */
  sent: PrepareInput[];
  resolve: (items: PreparedItem[]) => void;
  reject: (error: Error) => void;
};

/** One worker thread and what was asked of it. */
class Lane {
  readonly worker: Worker;
  /** Pipelines this worker has built (their settings are sent once). */
  readonly known = new Set<number>();
  readonly pending = new Map<number, Pending>();
  dead = false;

  constructor(onExit: (lane: Lane) => void) {
    this.worker = new Worker(new URL('./prepare-worker.ts', import.meta.url));
    // Only work in flight keeps the process alive (a committer that is never closed must not).
    this.worker.unref();
    this.worker.on('message', (message: FromPrepareWorker) => {
      const waiting = this.pending.get(message.id);
      if (waiting === undefined) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) this.worker.unref();
      if ('error' in message) {
        // The worker may not have built the pipeline: its settings go again with the next request.
        this.known.delete(waiting.pipeline);
        waiting.reject(reviveError(message.error));
      } else waiting.resolve(decodePrepared(message.items, waiting.sent));
    });
    const fail = (error: Error) => {
      this.dead = true;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
      onExit(this);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`a prepare worker stopped with exit code ${code}`)));
  }

  send(
    request: { id: number; pipeline: number; settings: PipelineSettings; items: Wire<PrepareInput> },
    sent: PrepareInput[],
  ): Promise<PreparedItem[]> {
    const { id, pipeline, settings, items } = request;
    const message: ToPrepareWorker = { id, pipeline, items };
    if (!this.known.has(pipeline)) message.settings = settings;
    try {
      this.worker.postMessage(message);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    this.known.add(pipeline);
    if (this.pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => this.pending.set(id, { pipeline, sent, resolve, reject }));
  }
}

/**
 * Runs the prepare step of ingest (redaction, enrichment, raw hash and compression: the CPU work
 * that does not touch the store) on worker threads, so the thread that writes to the store does
 * only I/O and the write while the next records are prepared beside it. A pipeline always goes to
 * the same worker, in the order its records are sent, so its state (tool call ids remembered for
 * later results) evolves as it would on one thread. Workers rebuild a pipeline from its settings:
 * a pipeline built with its own enrichers cannot be sent. A worker that dies fails the requests it
 * held; the next request starts a new one.
 */
export class PreparePool {
  private readonly lanes: (Lane | null)[];
  private readonly ids = new WeakMap<IngestPipeline, number>();
  private nextPipeline = 0;
  private nextRequest = 0;
  private closed = false;

  /** Workers start at once: loading one takes a few hundred ms, which no request should wait for. */
  constructor(workers: number) {
    this.lanes = Array.from({ length: Math.max(1, workers) }, () => null);
    this.lanes.forEach((_, index) => (this.lanes[index] = this.startLane(index)));
  }

  prepare(pipeline: IngestPipeline, items: readonly PrepareInput[]): Promise<PreparedItem[]> {
    if (this.closed) return Promise.reject(new Error('the prepare pool is closed'));
    let id = this.ids.get(pipeline);
    if (id === undefined) this.ids.set(pipeline, (id = this.nextPipeline++));
    const index = id % this.lanes.length;
    let lane = this.lanes[index];
    if (lane === null || lane === undefined || lane.dead) this.lanes[index] = lane = this.startLane(index);
    const { wire, sent } = encodeInputs(items);
    const request = { id: this.nextRequest++, pipeline: id, settings: pipeline.settings, items: wire };
    return lane.send(request, sent);
  }

  /** Stops the workers; requests still in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    const lanes = this.lanes.filter((lane): lane is Lane => lane !== null && !lane.dead);
    await Promise.all(lanes.map((lane) => lane.worker.terminate()));
  }

  private startLane(index: number): Lane {
    return new Lane((lane) => {
      if (this.lanes[index] === lane) this.lanes[index] = null;
    });
  }
}
