import type { GroupCommitter } from '../ingest/group-commit.ts';
import { Counter, Gauge, Histogram, renderMetrics, type GaugeSample, type Metric } from './prometheus.ts';

export type Transport = 'http' | 'ws' | 'zeromq';

/** A gauge another part of agentlog contributes (the job queue reports its jobs by state). */
export type GaugeSource = {
  name: string;
  help: string;
  collect: () => GaugeSample[] | Promise<GaugeSample[]>;
};

const sizeBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
const secondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** What `GET /metrics` reports. One instance per server. */
export class ServerMetrics {
  readonly ingested = new Counter('agentlog_messages_ingested_total', 'Messages stored (new).');
  readonly duplicates = new Counter(
    'agentlog_messages_duplicate_total',
    'Messages already stored (resent ids), acknowledged without storing again.',
  );
  readonly rejected = new Counter(
    'agentlog_messages_rejected_total',
    'Messages and frames refused as invalid.',
  );
  readonly throttled = new Counter(
    'agentlog_requests_throttled_total',
    'Requests (429) and frames (slow_down) refused because the write queue was full or closing.',
  );
  readonly requestBatch = new Histogram(
    'agentlog_request_batch_messages',
    'Messages per POST /v1/messages:batch request.',
    sizeBuckets,
  );
  readonly commitBatch = new Histogram(
    'agentlog_commit_batch_records',
    'Records written per group commit.',
    sizeBuckets,
  );
  readonly commitSeconds = new Histogram(
    'agentlog_commit_duration_seconds',
    'Time to write and commit one group.',
    secondsBuckets,
  );
  private readonly all: Metric[];
  private connections = 0;

  constructor(
    committer: GroupCommitter,
    extra: readonly GaugeSource[] = [],
    /** Metrics of other listeners (ZeroMQ's frame counts). */
    more: readonly Metric[] = [],
  ) {
    this.all = [
      this.ingested,
      this.duplicates,
      this.rejected,
      this.throttled,
      this.requestBatch,
      this.commitBatch,
      this.commitSeconds,
      new Gauge('agentlog_write_queue_records', 'Records waiting for or inside a commit.', () => [
        { value: committer.depth.items },
      ]),
      new Gauge('agentlog_write_queue_bytes', 'Bytes waiting for or inside a commit.', () => [
        { value: committer.depth.bytes },
      ]),
      new Gauge('agentlog_write_queue_capacity_records', 'Records the write queue holds at most.', () => [
        { value: committer.capacity.items },
      ]),
      new Gauge('agentlog_websocket_connections', 'Open WebSocket connections.', () => [
        { value: this.connections },
      ]),
      ...extra.map((g) => new Gauge(g.name, g.help, g.collect)),
      ...more,
    ];
  }

  connectionOpened(): void {
    this.connections++;
  }

  connectionClosed(): void {
    this.connections--;
  }

  commit(records: number, seconds: number): void {
    this.commitBatch.observe(records);
    this.commitSeconds.observe(seconds);
  }

  render(): Promise<string> {
    return renderMetrics(this.all);
  }
}
