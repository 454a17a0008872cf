import WebSocket from 'ws';
import type { ServerFrame } from '../../src/server/ws-protocol.ts';

/** A real WebSocket client for tests: frames received are queued and awaited one by one. */
export class WsClient {
  readonly socket: WebSocket;
  private readonly received: ServerFrame[] = [];
  private waiting: ((frame: ServerFrame) => void) | null = null;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      if (this.waiting !== null) {
        const resolve = this.waiting;
        this.waiting = null;
        resolve(frame);
      } else this.received.push(frame);
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /** Opens a connection; rejects with the HTTP status when the upgrade is refused. */
  static open(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      socket.once('open', () => resolve(new WsClient(socket)));
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => reject(Object.assign(new Error(body), { status: response.statusCode })));
      });
      socket.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  next(): Promise<ServerFrame> {
    const frame = this.received.shift();
    if (frame !== undefined) return Promise.resolve(frame);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  async take(count: number): Promise<ServerFrame[]> {
    const frames: ServerFrame[] = [];
    for (let i = 0; i < count; i++) frames.push(await this.next());
    return frames;
  }

  close(): Promise<{ code: number; reason: string }> {
    this.socket.close();
    return this.closed;
  }
}

export function wsUrl(httpUrl: string, query = ''): string {
  return `${httpUrl.replace(/^http/, 'ws')}/v1/ws${query}`;
}
