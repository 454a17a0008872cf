import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { Principal } from '../auth/api-keys.ts';
import { apiInteractionRecord, apiMessageRecord, apiSessionStartRecord } from '../ingest/api-messages.ts';
import type { CommitItem } from '../ingest/group-commit.ts';
import type { SessionLifecycle } from '../jobs/session-lifecycle.ts';
import type { Store } from '../storage/ports.ts';
import { isRefusal, looseId, statusOf, type ApiIngest } from './api-ingest.ts';
import type { ItemStatus } from './http-contract.ts';
import { parseApiMessage } from './parse-api-message.ts';
import { stopSession } from './session-lookup.ts';
import {
  clientFrameSchema,
  clientFrameTypes,
  type ClientFrame,
  type ClientFrameType,
  type ServerFrame,
} from './ws-protocol.ts';
import { zodReason } from './zod-reason.ts';

export type WsContext = {
  ingest: ApiIngest;
  store: Store;
  lifecycle: SessionLifecycle;
  log: FastifyBaseLogger;
};

/** Acknowledgements a client leaves unread beyond this close its connection: memory stays bounded. */
const maxUnreadBytes = 8 * 1024 * 1024;
const retryAfterMs = 1000;

type Answered = { frame: ClientFrameType | null; id: string | null; ref?: string | undefined };

function frameTypeOf(value: unknown): ClientFrameType | null {
  if (typeof value !== 'object' || value === null || !('type' in value)) return null;
  return (clientFrameTypes as readonly unknown[]).includes(value.type)
    ? (value.type as ClientFrameType)
    : null;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** The id an answer names: the message's or interaction's id, or the session for session frames. */
function idOf(type: ClientFrameType | null, value: unknown): string | null {
  if (type === 'message') return looseId(field(value, 'message'));
  if (type === 'interaction') return looseId(field(value, 'interaction'));
  const session = field(value, 'session');
  return typeof session === 'string' ? session : null;
}

/** The frame schema, with the message check's fast path for `message` frames (the bulk of them). */
function parseClientFrame(value: unknown, type: ClientFrameType | null) {
  if (type === 'message' && typeof value === 'object' && value !== null) {
    const { ref, message, ...rest } = value as Record<string, unknown>;
    const fast = parseApiMessage(message);
    if (fast.success && Object.keys(rest).length === 1 && (ref === undefined || isRef(ref)))
      return { success: true as const, data: { type, ref, message: fast.data } };
  }
  return clientFrameSchema.safeParse(value);
}

const isRef = (value: unknown): value is string => typeof value === 'string' && value.length <= 256;

/** One client's session-protocol connection: every frame answered once its effect is durable. */
export class WsConnection {
  private readonly socket: WebSocket;
  private readonly principal: Principal;
  private readonly context: WsContext;
  private readonly pending = new Set<Promise<void>>();
  private closing = false;
  private alive = true;
  private seq = 0;

  constructor(socket: WebSocket, principal: Principal, context: WsContext) {
    this.socket = socket;
    this.principal = principal;
    this.context = context;
    socket.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    socket.on('pong', () => {
      this.alive = true;
    });
  }

  /** Called every heartbeat interval: a client that did not answer the last ping is cut off. */
  heartbeat(): void {
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  /** Answers what is in flight, then closes (going away): the client reconnects elsewhere or later. */
  async drain(): Promise<void> {
    this.closing = true;
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(1001, 'server shutting down');
  }

  private send(frame: ServerFrame): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(JSON.stringify(frame));
    if (this.socket.bufferedAmount > maxUnreadBytes)
      this.socket.close(1008, 'acknowledgements are not being read');
  }

  private ack(to: Answered, status: ItemStatus, reason?: string): void {
    if (status === 'rejected') this.context.ingest.count([{ status }], 'ws');
    this.send({
      type: 'ack',
      ref: to.ref,
      frame: to.frame,
      id: to.id,
      status,
      ...(reason ? { reason } : {}),
    });
  }

  private slowDown(to: Answered): void {
    this.send({ type: 'slow_down', ref: to.ref, frame: to.frame, id: to.id, retryAfterMs });
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    const unreadable: Answered = { frame: null, id: null };
    if (isBinary) return this.ack(unreadable, 'rejected', 'binary frame: frames are JSON text');
    let value: unknown;
    try {
      value = JSON.parse(data.toString());
    } catch (error) {
      return this.ack(unreadable, 'rejected', `not JSON: ${(error as Error).message}`);
    }
    const type = frameTypeOf(value);
    const refValue = field(value, 'ref');
    const to: Answered = {
      frame: type,
      id: idOf(type, value),
      ref: typeof refValue === 'string' ? refValue : undefined,
    };
    const parsed = parseClientFrame(value, type);
    if (!parsed.success) return this.ack(to, 'rejected', zodReason(parsed.error));
    const frame = parsed.data;
    if (frame.type === 'ping') return this.send({ type: 'pong', ref: frame.ref });
    if (this.closing) return this.slowDown(to);
    if (frame.type === 'session_stop') return this.track(this.stop(frame, to));
    this.commit(frame, value, to);
  }

  private commit(
    frame: Exclude<ClientFrame, { type: 'ping' | 'session_stop' }>,
    value: unknown,
    to: Answered,
  ): void {
    const now = Date.now();
    let item: CommitItem;
    switch (frame.type) {
      case 'session_start':
        item = { record: apiSessionStartRecord(frame.session, frame.metadata ?? {}), raw: bytesOf(value) };
        break;
      case 'message':
        item = {
          record: apiMessageRecord(frame.message, now, this.seq++),
          raw: bytesOf(field(value, 'message')),
        };
        break;
      case 'interaction':
        item = {
          record: apiInteractionRecord(frame.interaction, now, this.seq++),
          raw: bytesOf(field(value, 'interaction')),
        };
        break;
      default:
        frame satisfies never;
        return;
    }
    const submitted = this.context.ingest.submit(this.principal, [item], 'ws');
    if (isRefusal(submitted)) return this.slowDown(to);
    this.track(
      submitted.committed.then(
        ([outcome]) => {
          const status = statusOf(outcome ?? null);
          this.context.ingest.count([{ status }], 'ws');
          this.ack(to, status);
        },
        (error: unknown) => {
          this.context.log.error({ err: error }, 'WebSocket frame not stored');
          this.slowDown(to);
        },
      ),
    );
  }

  /** Stops a session after this connection's earlier frames are committed, so none lands after. */
  private async stop(frame: Extract<ClientFrame, { type: 'session_stop' }>, to: Answered): Promise<void> {
    const earlier = [...this.pending];
    await Promise.allSettled(earlier);
    const outcome = await stopSession(
      this.context.store,
      this.context.lifecycle,
      this.principal,
      frame.session,
      frame.reason ?? 'session_stop frame',
    );
    switch (outcome.status) {
      case 'stopped':
        return this.ack(to, 'accepted');
      case 'already_stopped':
        return this.ack(to, 'duplicate');
      case 'not_found':
        return this.ack(to, 'rejected', 'no such session in this project');
      case 'not_active':
        return this.ack(
          to,
          'rejected',
          `the session is ${outcome.session.status}; only an active session stops`,
        );
      default:
        outcome satisfies never;
    }
  }
}

function bytesOf(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}
