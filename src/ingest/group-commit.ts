import { IngestPipeline } from '../enrich/ingest-pipeline.ts';
import type { ParsedRecord } from '../sources/source-format.ts';
import type { MessageWriteStatus, Store } from '../storage/ports.ts';
import { Ingestor } from './ingestor.ts';
import type { PreparePool } from './prepare-pool.ts';
import type { PreparedItem } from './prepared-item.ts';

/** One record to store, with the bytes it arrived as (kept as its raw record). */
export type CommitItem = { record: ParsedRecord; raw: Uint8Array | null };

/** Per item, once committed: what became of its message, or null for a record without one. */
export type ItemOutcome = MessageWriteStatus | null;

export type GroupCommitLimits = {
  /** Items (and their bytes) waiting for or inside a commit; beyond either, `submit` says `full`. */
  maxQueuedItems: number;
  maxQueuedBytes: number;
  /** Items written in one transaction at most. */
  maxItemsPerCommit: number;
  /**
   * How long to wait for more work before each commit (0: commit as soon as the previous one is
   * done, which already groups whatever arrived meanwhile). Closing cuts the wait short.
   */
  commitDelayMs?: number;
};

export type SubmitResult =
  | { queued: true; committed: Promise<ItemOutcome[]> }
  | { queued: false; reason: 'full' | 'closed'; retryAfterMs: number };

export type CommitStats = { items: number; messages: number; requests: number; durationMs: number };

export type GroupCommitHooks = {
  onCommit?: (stats: CommitStats) => void;
  onError?: (error: unknown) => void;
};

/**
 * Whose records these are: one transaction is written per target in each commit. `projectName`
 * picks the project's redaction and enrichment settings (see `pipelineFor`).
 */
export type CommitTarget = { projectId: number; source: string; projectName?: string };

type Entry = {
  target: CommitTarget;
  items: CommitItem[];
  bytes: number;
  /** Its items prepared on the pool's workers (started at submit), or null to prepare at the write. */
  prepared: Promise<PreparedItem[] | Error> | null;
  resolve: (outcomes: ItemOutcome[]) => void;
  reject: (error: unknown) => void;
};

/** Bytes counted for an item that carries no raw bytes (a session start). */
const structuredItemBytes = 256;
const retryAfterMs = 1000;

/**
 * Group commit: requests from many connections queue their records here; one loop writes
 * everything queued in one transaction per project (one fsync), then resolves each request with
 * its per-item outcome. A request's promise settles only after its records are committed, so an
 * acknowledgement always means durable. The queue is bounded: when it is full, `submit` refuses
 * at once and the caller tells its client to retry later.
 */
export class GroupCommitter {
  private readonly store: Store;
  private readonly limits: GroupCommitLimits;
  private readonly pipelineFor: ((target: CommitTarget) => IngestPipeline) | undefined;
  private readonly pool: PreparePool | undefined;
  /** The pipeline when no `pipelineFor` is given (one, so its tool call memory carries on). */
  private defaultPipeline: IngestPipeline | null = null;
  private readonly observers: GroupCommitHooks[] = [];
  private queue: Entry[] = [];
  private queuedItems = 0;
  private queuedBytes = 0;
  private running = false;
  private closed = false;
  private hurried = false;
  private idle: (() => void) | null = null;
  private wake: (() => void) | null = null;

  /**
   * `pipelineFor`: the redaction and enrichment stage of a target (default: mask, see Ingestor).
   * `pool`: prepares each request's records on worker threads as soon as it is queued, while
   * earlier commits are written here; without it, records are prepared in the write. The
   * committer closes the pool when it closes.
   */
  constructor(
    store: Store,
    limits: GroupCommitLimits,
    pipelineFor?: (target: CommitTarget) => IngestPipeline,
    pool?: PreparePool,
  ) {
    this.store = store;
    this.limits = limits;
    this.pipelineFor = pipelineFor;
    this.pool = pool;
  }

  /** Tells `hooks` about every commit and every failed write (for metrics and logs). */
  observe(hooks: GroupCommitHooks): void {
    this.observers.push(hooks);
  }

  /** Items and bytes not yet committed (queued or being written). */
  get depth(): { items: number; bytes: number } {
    return { items: this.queuedItems, bytes: this.queuedBytes };
  }

  get capacity(): { items: number; bytes: number } {
    return { items: this.limits.maxQueuedItems, bytes: this.limits.maxQueuedBytes };
  }

  submit(target: CommitTarget, items: CommitItem[]): SubmitResult {
    if (this.closed) return { queued: false, reason: 'closed', retryAfterMs };
    if (items.length === 0) return { queued: true, committed: Promise.resolve([]) };
    let bytes = 0;
    for (const item of items) bytes += item.raw?.byteLength ?? structuredItemBytes;
    const overItems = this.queuedItems + items.length > this.limits.maxQueuedItems;
    const overBytes = this.queuedBytes + bytes > this.limits.maxQueuedBytes;
    // An empty queue takes any one request, so a request within the body limits always gets in.
    if (this.queuedItems > 0 && (overItems || overBytes))
      return { queued: false, reason: 'full', retryAfterMs };
    this.queuedItems += items.length;
    this.queuedBytes += bytes;
    const prepared = this.prepare(target, items);
    const committed = new Promise<ItemOutcome[]>((resolve, reject) => {
      this.queue.push({ target, items, bytes, prepared, resolve, reject });
    });
    this.start();
    return { queued: true, committed };
  }

  /** Sends the items to the pool; a failure is kept as a value, to fail this request alone. */
  private prepare(target: CommitTarget, items: CommitItem[]): Promise<PreparedItem[] | Error> | null {
    if (this.pool === undefined) return null;
    return this.pool
      .prepare(this.pipelineOf(target), items)
      .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  }

  /** Kept across commits: building a pipeline compiles the rules. */
  private pipelineOf(target: CommitTarget): IngestPipeline {
    return this.pipelineFor?.(target) ?? (this.defaultPipeline ??= new IngestPipeline());
  }

  /** From now on commits without waiting out the commit delay (shutdown has begun). */
  hurry(): void {
    this.hurried = true;
    this.wake?.();
  }

  /** Refuses new work and resolves once everything queued is committed. */
  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    if (this.running || this.queue.length > 0)
      await new Promise<void>((resolve) => {
        this.idle = resolve;
      });
    await this.pool?.close();
  }

  private start(): void {
    if (this.running) return;
    this.running = true;
    void this.run();
  }

  private async run(): Promise<void> {
    while (this.queue.length > 0) {
      await this.pause();
      await this.commit(await this.ready(this.take()));
    }
    this.running = false;
    if (this.idle !== null) {
      this.idle();
      this.idle = null;
    }
  }

  /** Lets waiting sockets be read first, so the requests that arrived meanwhile join the commit. */
  private pause(): Promise<void> {
    const delay = this.closed || this.hurried ? 0 : (this.limits.commitDelayMs ?? 0);
    if (delay === 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), delay);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  /** The oldest entries, up to the per-commit limit (at least one, whatever its size). */
  private take(): Entry[] {
    let items = 0;
    let count = 0;
    for (const entry of this.queue) {
      if (count > 0 && items + entry.items.length > this.limits.maxItemsPerCommit) break;
      items += entry.items.length;
      count++;
    }
    return this.queue.splice(0, count);
  }

  /**
   * The entries whose records are prepared, once they are; one whose preparation failed is
   * failed alone (nothing of it is written).
   */
  private async ready(group: Entry[]): Promise<Entry[]> {
    const ready: Entry[] = [];
    for (const entry of group) {
      const prepared = entry.prepared === null ? null : await entry.prepared;
      if (prepared instanceof Error) {
        for (const o of this.observers) o.onError?.(prepared);
        this.dequeue(entry);
        entry.reject(prepared);
      } else ready.push(entry);
    }
    return ready;
  }

  private async commit(group: Entry[]): Promise<void> {
    if (group.length === 0) return;
    const started = performance.now();
    const byTarget = new Map<string, Entry[]>();
    for (const entry of group) {
      const key = `${entry.target.projectId}\u0000${entry.target.source}`;
      const list = byTarget.get(key) ?? [];
      list.push(entry);
      byTarget.set(key, list);
    }
    let messages = 0;
    for (const entries of byTarget.values()) messages += await this.writeTogether(entries);
    const items = group.reduce((sum, e) => sum + e.items.length, 0);
    for (const o of this.observers)
      o.onCommit?.({
        items,
        messages,
        requests: group.length,
        durationMs: performance.now() - started,
      });
  }

  /** Writes entries of one target together; if that fails, each alone, so one bad request fails alone. */
  private async writeTogether(entries: Entry[]): Promise<number> {
    try {
      const outcomes = await this.write(entries);
      entries.forEach((entry, i) => {
        this.dequeue(entry);
        entry.resolve(outcomes[i]!);
      });
      return outcomes.reduce((sum, o) => sum + o.filter((s) => s !== null).length, 0);
    } catch (error) {
      if (entries.length === 1) {
        for (const o of this.observers) o.onError?.(error);
        this.dequeue(entries[0]!);
        entries[0]!.reject(error);
        return 0;
      }
      let messages = 0;
      for (const entry of entries) messages += await this.writeTogether([entry]);
      return messages;
    }
  }

  private dequeue(entry: Entry): void {
    this.queuedItems -= entry.items.length;
    this.queuedBytes -= entry.bytes;
  }

  private async write(entries: Entry[]): Promise<ItemOutcome[][]> {
    const target = entries[0]!.target;
    const ingestor = new Ingestor(this.store, target.projectId, target.source, this.pipelineOf(target));
    const shapes: boolean[][] = [];
    for (const entry of entries) {
      shapes.push(entry.items.map((item) => item.record.message !== null));
      const prepared = entry.prepared === null ? null : ((await entry.prepared) as PreparedItem[]);
      entry.items.forEach((item, i) => {
        const origin = item.raw === null ? null : { bytes: item.raw, line: i + 1, offset: 0 };
        if (prepared === null) ingestor.add(item.record, origin);
        else ingestor.addPrepared(prepared[i]!, origin);
      });
    }
    const result = await ingestor.flush();
    const statuses = result?.messageStatus ?? [];
    let next = 0;
    const outcomes = shapes.map((hasMessage) =>
      hasMessage.map((has) => (has ? (statuses[next++] ?? null) : null)),
    );
    if (next !== statuses.length)
      throw new Error(`write reported ${statuses.length} messages, ${next} were sent`);
    return outcomes;
  }
}
