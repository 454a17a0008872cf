import { ClientCore, type ClientStats } from './client-core.ts';
import { resolveOptions, type ClientOptions } from './client-options.ts';
import { HttpTransport } from './http-transport.ts';
import type { TransportOptions } from './transport.ts';
import type { WireInteraction, WireMessage } from './wire.ts';
import { WsTransport } from './ws-transport.ts';

/** A message to capture: `id` (your idempotency key) is generated when absent, `timestamp` set to now. */
export type CaptureMessage = Omit<WireMessage, 'id'> & { id?: string };

export type CaptureInteraction = Omit<WireInteraction, 'id'> & { id?: string };

/** Captures messages in the background. No method throws; problems are warnings and counts. */
export interface AgentlogClient {
  /** Buffers a message to send; returns its id, or null when it was not taken (see the warning). */
  capture(message: CaptureMessage): string | null;
  /** Stops the session (after the messages captured before it are stored). */
  stopSession(session: string, reason?: string): boolean;
  /** Sends now; true once everything captured before the call is answered, false after the timeout. */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Flushes, then stops; captures after this are refused. True when nothing was left unsent. */
  close(timeoutMs?: number): Promise<boolean>;
  stats(): ClientStats;
}

/** The WebSocket client adds the rest of the session protocol. */
export interface SessionClient extends AgentlogClient {
  /** Announces a session with its metadata (title, url, cwd, …). */
  startSession(session: string, metadata?: Record<string, unknown>): boolean;
  /** Records a UI event (a click, an input, a navigation) in the session. */
  interaction(event: CaptureInteraction): string | null;
}

export type HttpClientOptions = ClientOptions & { transport?: 'http' };
export type WebSocketClientOptions = ClientOptions & { transport: 'websocket' };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * A client of the agentlog server: `capture` buffers, a background loop sends batches (HTTP, or
 * the WebSocket session protocol with `transport: 'websocket'`), retrying with backoff until the
 * server answers; every message has an id, so a resend is stored once. Memory is bounded: when
 * the buffer is full the oldest entries are dropped, with a warning.
 */
export function createClient(options: WebSocketClientOptions): SessionClient;
export function createClient(options: HttpClientOptions): AgentlogClient;
/** The transport chosen at run time: the methods both have. */
export function createClient(options: ClientOptions & { transport?: 'http' | 'websocket' }): AgentlogClient;
export function createClient(
  options: HttpClientOptions | WebSocketClientOptions,
): AgentlogClient | SessionClient {
  const resolved = resolveOptions(options);
  const transportOptions: TransportOptions = {
    url: resolved.url,
    apiKey: resolved.apiKey,
    requestTimeoutMs: resolved.requestTimeoutMs,
    maxBatchBytes: resolved.maxBatchBytes,
  };
  const transport =
    options.transport === 'websocket'
      ? new WsTransport(transportOptions, resolved.maxBatchMessages)
      : new HttpTransport(transportOptions, resolved.maxBatchMessages);
  const core = new ClientCore(resolved, transport);

  /** Serialises a frame's payload at capture (a snapshot; mistakes surface here, not later). */
  const enqueueItem = (kind: 'message' | 'interaction', value: unknown): string | null => {
    if (core.isClosed) return core.refuse('closed', `${kind} captured after close(); not sent`);
    if (!isObject(value) || !nonEmpty(value.session))
      return core.refuse('invalid', `${kind} without a session id; not sent`);
    if (kind === 'message' && (!nonEmpty(value.role) || value.content === undefined))
      return core.refuse('invalid', 'message without role or content; not sent');
    const id = nonEmpty(value.id) ? value.id : crypto.randomUUID();
    let body: string;
    try {
      body = JSON.stringify({ ...value, id, timestamp: value.timestamp ?? Date.now() });
    } catch (error) {
      return core.refuse('invalid', `${kind} ${id} is not serialisable (${(error as Error).message})`);
    }
    if (body.length > resolved.maxMessageBytes)
      return core.refuse('invalid', `${kind} ${id} is larger than maxMessageBytes; not sent`);
    core.enqueue({ type: kind, id, body });
    return id;
  };

  const sessionFrame = (type: 'session_start' | 'session_stop', session: unknown, extra: object): boolean => {
    if (core.isClosed) return core.refuse('closed', `${type} after close(); not sent`) ?? false;
    if (!nonEmpty(session)) return core.refuse('invalid', `${type} without a session id; not sent`) ?? false;
    try {
      core.enqueue({ type, id: session, body: JSON.stringify(extra) });
      return true;
    } catch (error) {
      return core.refuse('invalid', `${type} ${session}: ${(error as Error).message}`) ?? false;
    }
  };

  const guarded =
    <A extends unknown[], R>(fallback: R, run: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return run(...args);
      } catch {
        return fallback; // never into the host application
      }
    };

  const client: SessionClient = {
    capture: guarded(null, (message: CaptureMessage) => enqueueItem('message', message)),
    interaction: guarded(null, (event: CaptureInteraction) => enqueueItem('interaction', event)),
    startSession: guarded(false, (session: string, metadata?: Record<string, unknown>) =>
      sessionFrame('session_start', session, metadata === undefined ? {} : { metadata }),
    ),
    stopSession: guarded(false, (session: string, reason?: string) =>
      sessionFrame('session_stop', session, reason === undefined ? {} : { reason }),
    ),
    flush: (timeoutMs) => core.flush(timeoutMs ?? resolved.flushTimeoutMs).catch(() => false),
    close: (timeoutMs) => core.close(timeoutMs ?? resolved.flushTimeoutMs).catch(() => false),
    stats: () => core.stats(),
  };
  if (options.transport === 'websocket') return client;
  const { startSession: _start, interaction: _interaction, ...httpClient } = client;
  return httpClient;
}
