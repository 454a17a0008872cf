import { backoffDelay, pause } from './backoff.ts';
import { consoleWarnings, type ClientWarning, type ResolvedOptions } from './client-options.ts';
import { Outbox, type Entry } from './outbox.ts';
import { retryAll, type SendOutcome, type Transport } from './transport.ts';

export type ClientStats = {
  /** Entries taken by `capture` (and the session calls). */
  captured: number;
  /** Stored by the server. */
  accepted: number;
  /** Already stored (a resend after a lost answer): stored once. */
  duplicate: number;
  /** Refused by the server as invalid; not sent again. */
  rejected: number;
  /** Dropped because the buffer was full, or still unsent when `close()` stopped waiting. */
  dropped: number;
  /** Refused by `capture` itself (not a message, or after `close()`). */
  invalid: number;
  /** Sends that failed and were retried. */
  retries: number;
  /** Waiting to be sent or answered. */
  pending: number;
};

type Waiter = { upTo: number; resolve: (done: boolean) => void };

/**
 * The client's engine, the same for both transports: a bounded buffer, one send in flight at a
 * time (so entries arrive in capture order), retries with backoff, and waiters for `flush`.
 * Nothing here throws to the host: failures become counts and warnings.
 */
export class ClientCore {
  private readonly options: ResolvedOptions;
  private readonly transport: Transport;
  private readonly outbox: Outbox;
  private readonly warn: (warning: ClientWarning) => void;
  private readonly counts = {
    captured: 0,
    accepted: 0,
    duplicate: 0,
    rejected: 0,
    dropped: 0,
    invalid: 0,
    retries: 0,
  };
  private inflight: Entry[] = [];
  private waiters: Waiter[] = [];
  private seq = 0;
  private loop: Promise<void> | null = null;
  private hurry = false;
  private linger: { cancel(): void } | null = null;
  private backoff: { cancel(): void } | null = null;
  private closed = false;
  private stopped = false;

  constructor(options: ResolvedOptions, transport: Transport) {
    this.options = options;
    this.transport = transport;
    this.outbox = new Outbox({ maxEntries: options.maxBufferMessages, maxBytes: options.maxBufferBytes });
    const sink = options.onWarning ?? consoleWarnings();
    this.warn = (warning) => {
      try {
        sink(warning);
      } catch {
        // The host's own handler failed: nothing more to tell it.
      }
    };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  stats(): ClientStats {
    return { ...this.counts, pending: this.outbox.size + this.inflight.length };
  }

  /** Counts a capture refused before it became an entry. */
  refuse(code: 'invalid' | 'closed', message: string): null {
    this.counts.invalid++;
    this.warn({ code, message, count: 1 });
    return null;
  }

  /** Buffers an entry (its JSON already made) and makes sure a send is coming. */
  enqueue(entry: Omit<Entry, 'seq' | 'bytes'>): void {
    const full: Entry = { ...entry, seq: ++this.seq, bytes: entry.body.length };
    this.counts.captured++;
    this.reportDropped(this.outbox.push(full), 'the buffer is full');
    if (this.outbox.size >= this.options.maxBatchMessages) this.hurry = true;
    this.start();
  }

  /** Resolves true once everything captured so far is answered, false after `timeoutMs`. */
  flush(timeoutMs: number): Promise<boolean> {
    if (this.oldestPending() === undefined) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = { upTo: this.seq, resolve };
      const timer = setTimeout(() => this.release(waiter, false), timeoutMs);
      timer.unref?.();
      waiter.resolve = (done) => {
        clearTimeout(timer);
        resolve(done);
      };
      this.waiters.push(waiter);
      this.hurry = true;
      this.start();
    });
  }

  /** Refuses new captures, waits up to `timeoutMs` for the rest, then drops what is left. */
  async close(timeoutMs: number): Promise<boolean> {
    this.closed = true;
    const done = await this.flush(timeoutMs);
    this.stopped = true;
    this.backoff?.cancel();
    this.linger?.cancel();
    this.transport.close();
    await this.loop; // a send in flight is answered (or times out) first
    const lost = this.outbox.clear().length;
    if (lost > 0) {
      this.counts.dropped += lost;
      this.warn({
        code: 'closed',
        message: `closed with ${lost} entries unsent; they are lost`,
        count: lost,
      });
    }
    return done;
  }

  private start(): void {
    if (this.hurry) this.linger?.cancel();
    if (this.loop !== null || this.stopped) return;
    this.loop = this.run()
      .catch(() => {
        // A bug of ours must not become an unhandled rejection in the host: the loop restarts.
      })
      .finally(() => {
        this.loop = null;
        if (this.outbox.size > 0 && !this.stopped) this.start();
      });
  }

  private async run(): Promise<void> {
    if (!this.hurry) {
      const wait = pause(this.options.flushIntervalMs);
      this.linger = wait;
      await wait.done;
      this.linger = null;
    }
    let attempt = 0;
    while (this.outbox.size > 0 && !this.stopped) {
      this.hurry = false;
      this.inflight = this.outbox.take(this.options.maxBatchMessages, (e, taken) =>
        this.transport.fits(e, taken),
      );
      const outcome = await this.transport
        .send(this.inflight)
        .catch((error: unknown) => retryAll(this.inflight, 'unreachable', String(error)));
      this.inflight = [];
      // Back in the buffer before anything is settled, so no flush counts them as done.
      const dropped = this.outbox.unshift(outcome.retry);
      this.settle(outcome);
      if (outcome.retry.length === 0) {
        attempt = 0;
        continue;
      }
      attempt++;
      this.counts.retries++;
      this.reportDropped(dropped, 'the buffer is full while retrying');
      if (this.stopped) break;
      const waitMs = outcome.retryAfterMs ?? backoffDelay(attempt, this.backoffOptions());
      this.warn({
        code: 'retrying',
        message: `${outcome.cause?.detail ?? 'send failed'}; retrying ${outcome.retry.length} entries in ${waitMs} ms`,
        count: outcome.retry.length,
      });
      const wait = pause(waitMs);
      this.backoff = wait;
      await wait.done;
      this.backoff = null;
    }
  }

  private backoffOptions() {
    return { initialDelayMs: this.options.retryDelayMs, maxDelayMs: this.options.maxRetryDelayMs };
  }

  private settle(outcome: SendOutcome): void {
    for (const { entry, status, reason } of outcome.settled) {
      this.counts[status]++;
      if (status === 'rejected')
        this.warn({
          code: 'rejected',
          message: `${entry.type} ${entry.id} rejected: ${reason ?? 'invalid'}`,
          count: 1,
        });
    }
    this.checkWaiters();
  }

  private reportDropped(dropped: Entry[], why: string): void {
    if (dropped.length === 0) return;
    this.counts.dropped += dropped.length;
    this.warn({
      code: 'dropped',
      message: `${why} (${this.options.maxBufferMessages} entries): dropped the ${dropped.length} oldest`,
      count: dropped.length,
    });
    this.checkWaiters();
  }

  private oldestPending(): number | undefined {
    return this.inflight[0]?.seq ?? this.outbox.peek()?.seq;
  }

  private checkWaiters(): void {
    const oldest = this.oldestPending();
    for (const waiter of [...this.waiters])
      if (oldest === undefined || oldest > waiter.upTo) this.release(waiter, true);
  }

  private release(waiter: Waiter, done: boolean): void {
    this.waiters = this.waiters.filter((w) => w !== waiter);
    waiter.resolve(done);
  }
}
