import type { FastifyBaseLogger } from 'fastify';
import { Pull, Subscriber, type Socket } from 'zeromq';
import type { Principal } from '../../auth/api-keys.ts';
import { AgentlogError } from '../../domain/errors.ts';
import { isRefusal, statusOf, type ApiIngest } from '../api-ingest.ts';
import type { ItemStatus } from '../http-contract.ts';
import { Counter, type Metric } from '../prometheus.ts';
import { readFrame } from './zmq-frame.ts';
import { WarningThrottle } from './warning-throttle.ts';

export type ZmqSocketKind = 'pull' | 'sub';

export type ZeromqOptions = {
  /** Endpoint the PULL socket binds (agents PUSH to it); null for none. */
  pull: string | null;
  /** Broker PUB endpoints the SUB socket connects to; empty for none. */
  sub: readonly string[];
  /** Topic prefixes subscribed to ('' is everything). */
  topics: readonly string[];
  /** Whose traffic this is: the sockets carry no key, so configuration names the project. */
  principal: Principal;
};

type Outcome = 'committed' | 'invalid' | 'lost';

/** How often an idle socket checks whether it should stop; a stop reads on until this quiet. */
const pollMs = 250;
/** A stop reads what has arrived for at most this long (peers may not stop sending). */
const drainMs = 2000;

/**
 * ZeroMQ capture: a PULL socket for agents that PUSH their messages and a SUB socket connected to
 * brokers' PUB sockets. Each frame goes through the same write path as HTTP (ApiIngest, the group
 * committer) and is counted only once committed. ZeroMQ has no acknowledgement, so a full write
 * queue is answered by not reading: frames wait in ZeroMQ's queue and a PUSH sender blocks at its
 * high-water mark. A frame that cannot be read is counted and logged; the listener goes on.
 */
export class ZeromqListener {
  readonly frames = new Counter(
    'agentlog_zeromq_frames_total',
    'ZeroMQ frames by socket and outcome: committed (after its commit), invalid (not readable), lost (not stored).',
  );
  readonly metrics: readonly Metric[] = [this.frames];
  private readonly options: ZeromqOptions;
  private readonly sockets: { kind: ZmqSocketKind; socket: Pull | Subscriber }[] = [];
  private readonly loops: Promise<void>[] = [];
  private readonly pending = new Set<Promise<void>>();
  private ingest: ApiIngest | null = null;
  private log: FastifyBaseLogger | null = null;
  private warnings: WarningThrottle | null = null;
  private stopping = false;
  private drainUntil = Infinity;

  constructor(options: ZeromqOptions) {
    this.options = options;
  }

  /** The PULL socket's endpoint as bound (the real port when the configured one was `*`). */
  get pullEndpoint(): string | null {
    const pull = this.sockets.find((s) => s.kind === 'pull');
    return pull?.socket.lastEndpoint ?? null;
  }

  async start(ingest: ApiIngest, log: FastifyBaseLogger): Promise<void> {
    this.ingest = ingest;
    this.log = log;
    this.warnings = new WarningThrottle((text, suppressed) =>
      log.warn({ suppressed }, `ZeroMQ frame skipped: ${text}`),
    );
    if (this.options.pull !== null) {
      const pull = new Pull({ linger: 0 });
      this.sockets.push({ kind: 'pull', socket: pull });
      await bindOrExplain(pull, this.options.pull);
      log.info(`ZeroMQ PULL bound on ${pull.lastEndpoint}`);
    }
    if (this.options.sub.length > 0) {
      const sub = new Subscriber({ linger: 0 });
      this.sockets.push({ kind: 'sub', socket: sub });
      for (const endpoint of this.options.sub) connectOrExplain(sub, endpoint);
      sub.subscribe(...this.options.topics);
      log.info(`ZeroMQ SUB connected to ${this.options.sub.join(', ')}`);
    }
    for (const { kind, socket } of this.sockets) this.loops.push(this.receive(kind, socket));
  }

  /**
   * Stops: reads what has already arrived until the sockets are quiet (at most `drainMs`), commits
   * it, then closes. Frames that arrive later, or wait in a sender's queue, are lost.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.drainUntil = performance.now() + drainMs;
    await Promise.all(this.loops);
    for (const { socket } of this.sockets) socket.close();
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async receive(kind: ZmqSocketKind, socket: Pull | Subscriber): Promise<void> {
    socket.receiveTimeout = pollMs;
    while (!this.stopping || performance.now() < this.drainUntil) {
      let parts: Buffer[];
      try {
        parts = await socket.receive();
      } catch (error) {
        if ((error as { code?: string }).code === 'EAGAIN') {
          if (this.stopping) return; // quiet: everything that arrived is read
          continue;
        }
        this.log?.error({ err: error }, `ZeroMQ ${kind} socket failed; it reads no more`);
        return;
      }
      await this.handle(kind, parts);
    }
  }

  private count(kind: ZmqSocketKind, outcome: Outcome): void {
    this.frames.inc({ socket: kind, outcome });
  }

  private async handle(kind: ZmqSocketKind, parts: Buffer[]): Promise<void> {
    const ingest = this.ingest!;
    const content = readFrame(parts, Date.now());
    if ('invalid' in content) {
      this.count(kind, 'invalid');
      this.warnings?.warn(`${kind}: ${content.invalid}`);
      return;
    }
    const rejected: { status: ItemStatus }[] = content.rejected.map(() => ({ status: 'rejected' }));
    ingest.count(rejected, 'zeromq');
    for (const problem of content.rejected)
      this.warnings?.warn(
        `${kind}: element ${problem.index} (id ${problem.id ?? 'unknown'}): ${problem.reason}`,
      );
    if (content.items.length === 0) return this.count(kind, 'committed');
    for (;;) {
      const submitted = ingest.submit(this.options.principal, content.items, 'zeromq');
      if (!isRefusal(submitted)) return this.track(kind, submitted.committed);
      if (submitted.refused === 'closed' || performance.now() > this.drainUntil) {
        this.log?.error(
          `ZeroMQ ${kind}: the server is closing; a frame of ${content.items.length} was not stored`,
        );
        return this.count(kind, 'lost');
      }
      // Not reading is ZeroMQ's backpressure: the senders' queues fill and PUSH blocks.
      await new Promise((resolve) => setTimeout(resolve, Math.min(submitted.retryAfterMs, 50)));
    }
  }

  private track(kind: ZmqSocketKind, committed: Promise<Parameters<typeof statusOf>[0][]>): void {
    const work = committed.then(
      (outcomes) => {
        this.ingest!.count(
          outcomes.map((o) => ({ status: statusOf(o) })),
          'zeromq',
        );
        this.count(kind, 'committed');
      },
      (error: unknown) => {
        this.log?.error({ err: error }, `ZeroMQ ${kind}: a frame could not be stored`);
        this.count(kind, 'lost');
      },
    );
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }
}

async function bindOrExplain(socket: Socket, endpoint: string): Promise<void> {
  try {
    await socket.bind(endpoint);
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    throw new AgentlogError(
      code === 'EADDRINUSE' ? 'CONFLICT' : 'INVALID_ARGUMENT',
      `Cannot bind the ZeroMQ PULL socket to ${endpoint} (${(cause as Error).message}).`,
      {
        hint: 'Choose another endpoint with --zmq-pull or server.zeromq.pull, e.g. tcp://127.0.0.1:5557.',
        cause,
      },
    );
  }
}

function connectOrExplain(socket: Socket, endpoint: string): void {
  try {
    socket.connect(endpoint);
  } catch (cause) {
    throw new AgentlogError(
      'INVALID_ARGUMENT',
      `Cannot connect the ZeroMQ SUB socket to ${endpoint} (${(cause as Error).message}).`,
      { hint: 'Give a broker endpoint like tcp://127.0.0.1:5555 (--zmq-sub or server.zeromq.sub).', cause },
    );
  }
}
