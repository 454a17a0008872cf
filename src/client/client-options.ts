/** What went wrong, reported to the host instead of thrown. */
export type ClientWarningCode =
  /** The buffer was full: the oldest captured entries were dropped. */
  | 'dropped'
  /** The server refused an entry for good (invalid); it is not sent again. */
  | 'rejected'
  /** A send failed and will be retried (server down, busy, wrong key, timeout). */
  | 'retrying'
  /** `capture` got something that is not a message (no session, not serialisable, too large). */
  | 'invalid'
  /** Captured after `close()`, or still unsent when `close()` gave up waiting. */
  | 'closed';

export type ClientWarning = {
  code: ClientWarningCode;
  message: string;
  /** How many entries this warning is about (dropped, rejected, lost). */
  count: number;
};

export type ClientOptions = {
  /** The agentlog server, e.g. http://127.0.0.1:7777. */
  url: string;
  /** An API key with the `ingest` scope (`npx agentlog keys create --scopes ingest`). */
  apiKey: string;
  /** Buffered entries at most; beyond it the oldest are dropped (with a warning). Default 10 000. */
  maxBufferMessages?: number;
  /** Buffered bytes (serialised JSON) at most. Default 32 MiB. */
  maxBufferBytes?: number;
  /** Entries per request (HTTP) or per window of unanswered frames (WebSocket). Default 500. */
  maxBatchMessages?: number;
  /** Bytes per request at most (the server's default limit is 16 MiB). Default 4 MiB. */
  maxBatchBytes?: number;
  /** A single message larger than this (in JSON characters) is refused by `capture`. Default 4 MiB. */
  maxMessageBytes?: number;
  /** How long a captured entry may wait for more to join its batch. Default 200 ms. */
  flushIntervalMs?: number;
  /** First retry wait, doubled per failure (with jitter) up to `maxRetryDelayMs`. Defaults 250 ms, 30 s. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** A request (or a frame's answer) taking longer is abandoned and retried. Default 10 s. */
  requestTimeoutMs?: number;
  /** How long `flush()` and `close()` wait for unsent entries, unless told otherwise. Default 10 s. */
  flushTimeoutMs?: number;
  /**
   * Called for every warning (errors never reach the host as exceptions). Default: at most one
   * `console.warn` per warning code every 30 s.
   */
  onWarning?: (warning: ClientWarning) => void;
};

export type ResolvedOptions = Required<Omit<ClientOptions, 'onWarning'>> & Pick<ClientOptions, 'onWarning'>;

const mib = 1024 * 1024;

export function resolveOptions(options: ClientOptions): ResolvedOptions {
  return {
    maxBufferMessages: 10_000,
    maxBufferBytes: 32 * mib,
    maxBatchMessages: 500,
    maxBatchBytes: 4 * mib,
    maxMessageBytes: 4 * mib,
    flushIntervalMs: 200,
    retryDelayMs: 250,
    maxRetryDelayMs: 30_000,
    requestTimeoutMs: 10_000,
    flushTimeoutMs: 10_000,
    ...definedOnly(options),
  };
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The default warning sink: quiet enough never to flood the host's log. */
export function consoleWarnings(intervalMs = 30_000): (warning: ClientWarning) => void {
  const last = new Map<ClientWarningCode, number>();
  return (warning) => {
    const now = Date.now();
    if (now - (last.get(warning.code) ?? -Infinity) < intervalMs) return;
    last.set(warning.code, now);
    console.warn(`agentlog client: ${warning.message}`);
  };
}
