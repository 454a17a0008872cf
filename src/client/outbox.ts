import type { WireFrameType } from './wire.ts';

/** One thing captured and not yet settled, already serialised when it was captured. */
export type Entry = {
  /** Capture order; also the WebSocket `ref`. */
  seq: number;
  type: Exclude<WireFrameType, 'ping'>;
  /** The message or interaction id, or the session id for session frames. */
  id: string;
  /**
   * JSON made at capture: the message or interaction itself, or a session frame's other fields
   * (`{"metadata": …}`, `{"reason": …}`). Each transport wraps it when it sends.
   */
  body: string;
  bytes: number;
};

export type OutboxLimits = { maxEntries: number; maxBytes: number };

/**
 * The client's bounded buffer, oldest first. When a new entry does not fit, the oldest entries
 * are dropped to make room (and returned, so the caller can count and report them): a client
 * that cannot reach its server keeps the most recent conversation, in bounded memory.
 */
export class Outbox {
  private readonly limits: OutboxLimits;
  /** Taken slots before `head` are cleared, so they hold nothing alive. */
  private entries: (Entry | undefined)[] = [];
  private head = 0;
  private bytes = 0;

  constructor(limits: OutboxLimits) {
    this.limits = limits;
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  /** The oldest entry still waiting, if any. */
  peek(): Entry | undefined {
    return this.entries[this.head];
  }

  /** Adds an entry; returns the entries dropped to make room for it. */
  push(entry: Entry): Entry[] {
    this.entries.push(entry);
    this.bytes += entry.bytes;
    const dropped: Entry[] = [];
    while (this.size > 1 && (this.size > this.limits.maxEntries || this.bytes > this.limits.maxBytes))
      dropped.push(this.shift()!);
    return dropped;
  }

  /** Takes up to `max` entries from the front while `fits` accepts them. */
  take(max: number, fits: (entry: Entry, taken: readonly Entry[]) => boolean): Entry[] {
    const taken: Entry[] = [];
    while (taken.length < max) {
      const next = this.peek();
      if (next === undefined || !fits(next, taken)) break;
      taken.push(this.shift()!);
    }
    return taken;
  }

  /** Puts entries back at the front, in their order (a send that must be retried). */
  unshift(entries: readonly Entry[]): Entry[] {
    if (entries.length === 0) return [];
    this.compact();
    this.entries.unshift(...entries);
    for (const entry of entries) this.bytes += entry.bytes;
    const dropped: Entry[] = [];
    while (this.size > this.limits.maxEntries || this.bytes > this.limits.maxBytes) {
      const oldest = this.shift();
      if (oldest === undefined) break;
      dropped.push(oldest);
    }
    return dropped;
  }

  /** Empties the buffer, returning what it held. */
  clear(): Entry[] {
    const rest = this.entries.slice(this.head).filter((e) => e !== undefined);
    this.entries = [];
    this.head = 0;
    this.bytes = 0;
    return rest;
  }

  private shift(): Entry | undefined {
    const entry = this.entries[this.head];
    if (entry === undefined) return undefined;
    this.entries[this.head] = undefined;
    this.head++;
    this.bytes -= entry.bytes;
    if (this.head > 1024 && this.head * 2 > this.entries.length) this.compact();
    return entry;
  }

  private compact(): void {
    if (this.head === 0) return;
    this.entries = this.entries.slice(this.head);
    this.head = 0;
  }
}
