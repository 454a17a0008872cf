import type { Store, WriteBatch, WriteResult } from '../storage/ports.ts';

/** When a shared transaction is written: enough queued, or the oldest queued batch waited this long. */
export type ImportWriterLimits = { groupBytes: number; maxDelayMs: number };

export const defaultImportWriterLimits: ImportWriterLimits = { groupBytes: 512 << 10, maxDelayMs: 20 };

type Pending = {
  batch: WriteBatch;
  bytes: number;
  resolve: (result: WriteResult) => void;
  reject: (error: unknown) => void;
};

/** A batch's weight for grouping and flow control: its compressed raw bytes, plus a little per message. */
export function batchBytes(batch: WriteBatch): number {
  let bytes = 256 * batch.messages.length;
  for (const raw of batch.raw) bytes += raw.data.byteLength;
  return bytes;
}

/**
 * The one writer of an import pool: batches from every lane queue here and are written together,
 * a few MB per transaction (one fsync, and pages that several files touch written once). Batches
 * are written in the order they arrived, so a file's batches commit in order. After a failed write
 * nothing more is written: a later batch of the same file would save a read position past lines
 * that were never stored.
 */
export class ImportWriter {
  readonly store: Store;
  private readonly limits: ImportWriterLimits;
  private queue: Pending[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private writing = false;
  private failure: unknown = null;

  constructor(store: Store, limits: ImportWriterLimits = defaultImportWriterLimits) {
    this.store = store;
    this.limits = limits;
  }

  write(batch: WriteBatch): Promise<WriteResult> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const bytes = batchBytes(batch);
    const done = new Promise<WriteResult>((resolve, reject) =>
      this.queue.push({ batch, bytes, resolve, reject }),
    );
    this.queuedBytes += bytes;
    this.schedule();
    return done;
  }

  private schedule(): void {
    if (this.writing) return;
    if (this.queuedBytes >= this.limits.groupBytes) {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      setImmediate(() => void this.drain());
    } else {
      this.timer ??= setTimeout(() => void this.drain(), this.limits.maxDelayMs);
    }
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.writing = true;
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      this.queuedBytes = 0;
      await this.writeGroup(group);
    }
    this.writing = false;
  }

  private async writeGroup(group: Pending[]): Promise<void> {
    const batches = group.map((p) => p.batch);
    if (this.failure === null && group.length > 1 && mergeable(batches)) {
      try {
        const results = split(await this.store.write(merge(batches)), group);
        group.forEach((p, i) => p.resolve(results[i]!));
        return;
      } catch {
        // Written one by one below, so the error reported is the failing batch's own.
      }
    }
    for (const p of group) {
      if (this.failure !== null) {
        p.reject(this.failure);
        continue;
      }
      try {
        p.resolve(await this.store.write(p.batch));
      } catch (error) {
        this.failure = error;
        p.reject(error);
      }
    }
  }
}

/** Batches can share a transaction when everything but their lists is the same (the project). */
function mergeable(batches: WriteBatch[]): boolean {
  const [first, ...rest] = batches as unknown as Record<string, unknown>[];
  return rest.every((b) =>
    Object.entries(first!).every(([key, value]) => Array.isArray(value) || b[key] === value),
  );
}

/** One batch holding every row of `batches`, in order (lists concatenated, whatever fields they are). */
function merge(batches: WriteBatch[]): WriteBatch {
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(batches[0]!)) {
    merged[key] = Array.isArray(value)
      ? batches.flatMap((b) => (b as unknown as Record<string, unknown[]>)[key]!)
      : value;
  }
  return merged as WriteBatch;
}

/** Each batch's share of a merged result; new raw rows cannot be told apart, so they are counted first come. */
function split(result: WriteResult, group: Pending[]): WriteResult[] {
  let at = 0;
  let rawLeft = result.newRawRecords;
  return group.map(({ batch }) => {
    const messageStatus = result.messageStatus.slice(at, at + batch.messages.length);
    at += batch.messages.length;
    const newMessages = messageStatus.filter((s) => s === 'new').length;
    const newRawRecords = Math.min(rawLeft, batch.raw.length);
    rawLeft -= newRawRecords;
    return {
      newMessages,
      duplicateMessages: messageStatus.length - newMessages,
      newRawRecords,
      messageStatus,
    };
  });
}
