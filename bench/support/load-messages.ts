import type { WireMessage } from '../../src/client/wire.ts';

/**
 * The messages every load generator sends: about 400 bytes of JSON each, spread over sessions,
 * ids unique per run (`<prefix>-<n>`), so the store can be checked message by message afterwards.
 */

const filler =
  'The deployment failed because the migration step timed out while the database was under load; ' +
  'retry with a longer timeout and check the connection pool settings before the next run.';

export function loadMessage(prefix: string, n: number, sessions: number): WireMessage {
  return {
    id: `${prefix}-${n}`,
    session: `${prefix}-s${n % sessions}`,
    role: n % 2 === 0 ? 'user' : 'assistant',
    content: `${n}: ${filler}`,
    speaker: { name: n % 2 === 0 ? 'alice' : 'agent-7', role: n % 2 === 0 ? 'customer' : 'agent' },
    timestamp: 1_767_323_045_000 + n,
    metadata: { bench: true },
  };
}

/** Reads `--name value` options of a load process (each load process is its own small CLI). */
export function numberOption(args: Record<string, string | boolean | undefined>, name: string): number {
  const value = Number(args[name]);
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number`);
  return value;
}

/** p-th percentile (0..1) of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** What a load process prints (one JSON document on stdout) for the benchmark that spawned it. */
export type LoadReport = {
  transport: string;
  /** Messages acknowledged during the measured window (after the warm-up). */
  messages: number;
  seconds: number;
  /** Acknowledgement latency of each message (ms), from handing it to the socket to its ack. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** Requests or frames refused (429 / slow_down) and sent again. */
  refusals: number;
  /** Messages acknowledged in all, warm-up included (the store must hold at least these). */
  acknowledged: number;
  /** CPU time of the load process itself over the whole run. */
  loadCpuMs?: number;
  /** CPU time of the server over the whole run (set by the benchmark). */
  serverCpuMs?: number;
  /** CPU time of the server's main thread alone (HTTP and the store write; prepare workers aside). */
  serverMainCpuMs?: number;
};

export function latencyReport(counts: Omit<LoadReport, 'p50Ms' | 'p99Ms'>, latencies: number[]): LoadReport {
  latencies.sort((a, b) => a - b);
  const cpu = process.cpuUsage();
  return {
    ...counts,
    loadCpuMs: (cpu.user + cpu.system) / 1000,
    p50Ms: latencies.length === 0 ? null : percentile(latencies, 0.5),
    p99Ms: latencies.length === 0 ? null : percentile(latencies, 0.99),
  };
}
