import type { Entry } from './outbox.ts';
import {
  retryAll,
  type SendOutcome,
  type Settled,
  type Transport,
  type TransportOptions,
} from './transport.ts';
import type { WireServerFrame } from './wire.ts';

type Answerer = (frame: WireServerFrame) => void;

/**
 * The WebSocket session protocol (`/v1/ws`) over Node's built-in WebSocket: one connection, kept
 * open between sends; every frame carries its entry's `seq` as `ref` and waits for its `ack`.
 * A `slow_down`, a lost connection or an answer that does not come in time sends the entry again
 * (on a new connection); what the server already stored is then answered `duplicate`.
 */
export class WsTransport implements Transport {
  private readonly options: TransportOptions;
  private readonly maxFrames: number;
  private readonly url: string;
  private socket: WebSocket | null = null;
  private readonly answerers = new Map<string, Answerer>();
  private readonly onDrop = new Set<(detail: string) => void>();

  constructor(options: TransportOptions, maxFrames: number) {
    this.options = options;
    this.maxFrames = maxFrames;
    this.url = `${options.url.replace(/^http/, 'ws').replace(/\/+$/, '')}/v1/ws`;
  }

  fits(entry: Entry, taken: readonly Entry[]): boolean {
    if (taken.length === 0) return true;
    if (taken.length >= this.maxFrames) return false;
    let bytes = entry.bytes;
    for (const e of taken) bytes += e.bytes;
    return bytes <= this.options.maxBatchBytes;
  }

  async send(entries: Entry[]): Promise<SendOutcome> {
    const socket = await this.connect();
    if (typeof socket === 'string') return retryAll(entries, 'unreachable', socket);
    return new Promise((resolve) => {
      const settled: Settled[] = [];
      const retry = new Set<Entry>();
      let outcome: Pick<SendOutcome, 'cause' | 'retryAfterMs'> = {};
      let unanswered = entries.length;
      const finish = () => {
        clearTimeout(timer);
        this.onDrop.delete(dropped);
        for (const entry of entries) this.answerers.delete(String(entry.seq));
        resolve({ settled, retry: entries.filter((e) => retry.has(e)), ...outcome });
      };
      const dropped = (detail: string) => {
        for (const entry of entries) if (this.answerers.has(String(entry.seq))) retry.add(entry);
        outcome = { cause: { kind: 'unreachable', detail } };
        finish();
      };
      const timer = setTimeout(() => this.drop('no answer in time'), this.options.requestTimeoutMs);
      this.onDrop.add(dropped);
      for (const entry of entries) {
        this.answerers.set(String(entry.seq), (frame) => {
          if (!this.answerers.delete(String(entry.seq))) return;
          if (frame.type === 'ack') {
            settled.push({ entry, status: frame.status, ...(frame.reason ? { reason: frame.reason } : {}) });
          } else if (frame.type === 'slow_down') {
            retry.add(entry);
            outcome = {
              retryAfterMs: Math.max(outcome.retryAfterMs ?? 0, frame.retryAfterMs),
              cause: { kind: 'busy', detail: 'the server asked to slow down' },
            };
          }
          if (--unanswered === 0) finish();
        });
        socket.send(frameOf(entry));
      }
    });
  }

  close(): void {
    this.socket?.close(1000);
    this.socket = null;
  }

  /** Gives up on the connection: every send waiting on it retries on a new one. */
  private drop(detail: string): void {
    const socket = this.socket;
    this.socket = null;
    if (socket !== null && socket.readyState <= WebSocket.OPEN) socket.close(4000, detail);
    for (const notify of [...this.onDrop]) notify(detail);
  }

  /** The open connection, or why there is none. */
  private connect(): Promise<WebSocket | string> {
    if (this.socket !== null && this.socket.readyState === WebSocket.OPEN)
      return Promise.resolve(this.socket);
    return new Promise((resolve) => {
      let socket: WebSocket;
      try {
        socket = new WebSocket(this.url, { headers: { authorization: `Bearer ${this.options.apiKey}` } });
      } catch (error) {
        resolve(`cannot open ${this.url}: ${(error as Error).message}`);
        return;
      }
      const timer = setTimeout(() => socket.close(), this.options.requestTimeoutMs);
      let opened = false;
      socket.addEventListener('open', () => {
        opened = true;
        clearTimeout(timer);
        this.socket = socket;
        resolve(socket);
      });
      socket.addEventListener('message', (event) => this.answer(event.data));
      socket.addEventListener('close', (event) => {
        clearTimeout(timer);
        if (!opened) return resolve(`cannot connect to ${this.url} (${event.code})`);
        if (this.socket === socket) this.drop(`connection closed (${event.code} ${event.reason})`);
      });
    });
  }

  private answer(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: WireServerFrame;
    try {
      frame = JSON.parse(data) as WireServerFrame;
    } catch {
      return;
    }
    if (frame.ref !== undefined) this.answerers.get(frame.ref)?.(frame);
  }
}

/** The protocol frame around an entry's JSON, its `seq` as `ref`. */
export function frameOf(entry: Entry): string {
  const head = `{"ref":"${entry.seq}","type":"${entry.type}"`;
  if (entry.type === 'message' || entry.type === 'interaction')
    return `${head},"${entry.type}":${entry.body}}`;
  const rest = entry.body === '{}' ? '}' : `,${entry.body.slice(1)}`;
  return `${head},"session":${JSON.stringify(entry.id)}${rest}`;
}
