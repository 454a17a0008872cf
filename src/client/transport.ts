import type { Entry } from './outbox.ts';
import type { WireStatus } from './wire.ts';

/** An entry the server answered for good: stored, already stored, or refused as invalid. */
export type Settled = { entry: Entry; status: WireStatus; reason?: string };

/** Why a send must be retried, as reported to the host in a warning. */
export type RetryCause = 'unreachable' | 'unauthorized' | 'busy' | 'server_error' | 'timeout';

export type SendOutcome = {
  settled: Settled[];
  /** Entries not taken this time, to send again (in order) after a wait. */
  retry: Entry[];
  /** The wait the server asked for; otherwise the client's backoff decides. */
  retryAfterMs?: number;
  cause?: { kind: RetryCause; detail: string };
};

/** How the client talks to the server: HTTP batches or the WebSocket session protocol. */
export interface Transport {
  /** Whether `entry` may join the entries already taken for one send. */
  fits(entry: Entry, taken: readonly Entry[]): boolean;
  /** Sends entries and reports what became of each; never rejects. */
  send(entries: Entry[]): Promise<SendOutcome>;
  close(): void;
}

export type TransportOptions = {
  /** The server's base URL, e.g. http://127.0.0.1:7777. */
  url: string;
  apiKey: string;
  requestTimeoutMs: number;
  maxBatchBytes: number;
};

/** Every entry of a send to be retried for one cause. */
export function retryAll(
  entries: Entry[],
  kind: RetryCause,
  detail: string,
  retryAfterMs?: number,
): SendOutcome {
  return {
    settled: [],
    retry: entries,
    cause: { kind, detail },
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** A short description of a failed request (fetch's errors hide the reason in `cause`). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
