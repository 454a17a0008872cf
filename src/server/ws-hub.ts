import type { WebSocket } from 'ws';
import type { Principal } from '../auth/api-keys.ts';
import type { ServerMetrics } from './server-metrics.ts';
import { WsConnection, type WsContext } from './ws-connection.ts';

/** The open WebSocket connections: one heartbeat timer for all, and a drain for shutdown. */
export class WsHub {
  private readonly connections = new Set<WsConnection>();
  private readonly context: WsContext;
  private readonly metrics: ServerMetrics;
  private readonly heartbeatMs: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(context: WsContext, metrics: ServerMetrics, heartbeatMs: number) {
    this.context = context;
    this.metrics = metrics;
    this.heartbeatMs = heartbeatMs;
  }

  open(socket: WebSocket, principal: Principal): void {
    const connection = new WsConnection(socket, principal, this.context);
    this.connections.add(connection);
    this.metrics.connectionOpened();
    socket.on('close', () => {
      this.connections.delete(connection);
      this.metrics.connectionClosed();
    });
    if (this.timer === null) {
      this.timer = setInterval(() => {
        for (const c of this.connections) c.heartbeat();
      }, this.heartbeatMs);
      this.timer.unref();
    }
  }

  async drain(): Promise<void> {
    this.stop();
    await Promise.all([...this.connections].map((c) => c.drain()));
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
