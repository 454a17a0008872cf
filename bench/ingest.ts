import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAgentlog } from '../src/agentlog.ts';
import { issueApiKey } from '../src/auth/api-keys.ts';
import { loadConfig } from '../src/config/config.ts';
import type { LoadReport } from './support/load-messages.ts';
import type { StageReport } from './support/load-stages.ts';
import {
  cpuMsOf,
  mainThreadCpuMsOf,
  projectRoot,
  runLoad,
  startAgentlog,
  startProcess,
} from './support/load-process.ts';
import { printTable, type Goal, type Row } from './support/report.ts';

/**
 * `npm run bench -- ingest [--seconds 10] [--only http,websocket,zeromq,baseline] [--server JSON]`:
 * sustained durable ingest into `agentlog serve` from separate load processes on loopback (HTTP
 * batches, WebSocket frames, ZeroMQ PUSH), beside the naive design measured in the same run: an
 * HTTP server appending each message to a JSONL file with one fsync per message.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      seconds: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      'http-batch': { type: 'string', default: '100' },
      'http-concurrency': { type: 'string', default: '8' },
      'ws-window': { type: 'string', default: '250' },
      'ws-concurrency': { type: 'string', default: '4' },
      'zmq-batch': { type: 'string', default: '1' },
      only: { type: 'string', default: 'http,websocket,zeromq,baseline' },
      /** Server settings (config.json `server`), e.g. '{"commitMaxRecords": 2000}'. */
      server: { type: 'string', default: '{}' },
      keep: { type: 'boolean' },
    },
  });
  const only = new Set(values.only.split(','));
  const timing = ['--seconds', values.seconds, '--warmup', values.warmup];
  const home = mkdtempSync(join(tmpdir(), 'agentlog-bench-ingest-'));
  const loadBefore = loadavg()[0]!;
  const reports: LoadReport[] = [];
  try {
    writeFileSync(join(home, 'config.json'), JSON.stringify({ server: JSON.parse(values.server) }));
    const keys = await issueKeys(home);
    const { server, url } = await startAgentlog(home, ['--port', '0', '--zmq-pull', 'tcp://127.0.0.1:*']);
    const [, endpoint] = await server.waitFor(/ZeroMQ PULL on (\S+)/);
    console.log(`agentlog serve on ${url} (ZeroMQ ${endpoint}), store in ${home}`);
    try {
      const withServerCpu = async (run: () => Promise<LoadReport>) => {
        const before = cpuMsOf(server.child.pid);
        const mainBefore = mainThreadCpuMsOf(server.child.pid);
        const result = await run();
        return {
          ...result,
          serverCpuMs: cpuMsOf(server.child.pid) - before,
          serverMainCpuMs: mainThreadCpuMsOf(server.child.pid) - mainBefore,
        };
      };
      await runTransports(only, url, endpoint!, keys, values, timing, reports, withServerCpu);
    } finally {
      await server.stop();
    }
    if (server.child.exitCode !== 0) throw new Error(`agentlog serve failed:\n${server.log()}`);
    const stored = await storedMessages(home);
    const acknowledged = reports.reduce((sum, r) => sum + r.acknowledged, 0);
    if (stored !== acknowledged)
      throw new Error(`the store holds ${stored} messages, ${acknowledged} were acknowledged`);
    if (only.has('baseline')) reports.push(await baseline(home, values, timing));
  } finally {
    if (!values.keep) rmSync(home, { recursive: true, force: true });
  }
  const stages = await runLoad<StageReport>('load-stages.ts', []);
  report(reports, stages, [loadBefore, loadavg()[0]!], values);
}

/** Each transport's load process in turn, against the one server. */
async function runTransports(
  only: Set<string>,
  url: string,
  endpoint: string,
  keys: { ingest: string; admin: string },
  values: Record<string, string | boolean | undefined>,
  timing: string[],
  reports: LoadReport[],
  withServerCpu: (run: () => Promise<LoadReport>) => Promise<LoadReport>,
): Promise<void> {
  const option = (name: string) => String(values[name]);
  const load = (script: string, args: string[]) =>
    withServerCpu(() => runLoad<LoadReport>(script, ['--url', url, ...args, ...timing]));
  if (only.has('http')) {
    const httpArgs = ['--batch', option('http-batch'), '--concurrency', option('http-concurrency')];
    reports.push(await load('load-http.ts', ['--key', keys.ingest, ...httpArgs]));
  }
  if (only.has('websocket')) {
    const wsArgs = ['--window', option('ws-window'), '--concurrency', option('ws-concurrency')];
    reports.push(await load('load-ws.ts', ['--key', keys.ingest, ...wsArgs]));
  }
  if (only.has('zeromq')) {
    const zmqArgs = ['--endpoint', endpoint, '--admin-key', keys.admin, '--batch', option('zmq-batch')];
    reports.push(await load('load-zmq.ts', zmqArgs));
  }
}

async function issueKeys(home: string): Promise<{ ingest: string; admin: string }> {
  const agentlog = await createAgentlog(loadConfig({ flags: { dataDir: home }, env: {}, home }));
  try {
    const ingest = await issueApiKey(agentlog.store, { projectName: 'default', scopes: ['ingest'] });
    const admin = await issueApiKey(agentlog.store, { projectName: 'default', scopes: ['admin'] });
    return { ingest: ingest.key, admin: admin.key };
  } finally {
    await agentlog.close();
  }
}

async function storedMessages(home: string): Promise<number> {
  const agentlog = await createAgentlog(loadConfig({ flags: { dataDir: home }, env: {}, home }));
  try {
    return (await agentlog.store.counts(agentlog.project.id)).messages;
  } finally {
    await agentlog.close();
  }
}

/** The same HTTP load against the naive server: one fsync per message. */
async function baseline(
  home: string,
  values: Record<string, string | boolean | undefined>,
  timing: string[],
) {
  const naive = startProcess([
    join(projectRoot, 'bench', 'support', 'load-naive-server.ts'),
    '--file',
    join(home, 'baseline.jsonl'),
  ]);
  const [, url] = await naive.waitFor(/listening (\S+)/);
  try {
    const httpArgs = [
      '--batch',
      String(values['http-batch']),
      '--concurrency',
      String(values['http-concurrency']),
    ];
    const before = cpuMsOf(naive.child.pid);
    const result = await runLoad<LoadReport>('load-http.ts', ['--url', url!, ...httpArgs, ...timing]);
    const serverCpuMs = cpuMsOf(naive.child.pid) - before;
    return { ...result, serverCpuMs, transport: 'baseline (JSONL, fsync per message)' };
  } finally {
    await naive.stop();
  }
}

function report(
  reports: LoadReport[],
  stages: StageReport,
  load: number[],
  values: Record<string, unknown>,
): void {
  const rate = (r: LoadReport) => r.messages / r.seconds;
  const latency = (r: LoadReport) =>
    r.p50Ms === null || r.p99Ms === null
      ? 'latency n/a (no ack)'
      : `p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms`;
  const perMessage = (cpuMs: number | undefined, r: LoadReport) =>
    cpuMs === undefined || r.acknowledged === 0 ? '?' : `${((cpuMs * 1000) / r.acknowledged).toFixed(0)} µs`;
  const rows: Row[] = reports.map((r) => ({
    name: r.transport,
    value: `${Math.round(rate(r)).toLocaleString('en-US')} msg/s`,
    detail:
      `${latency(r)}; CPU per message: server ${perMessage(r.serverCpuMs, r)}` +
      (r.serverMainCpuMs === undefined ? '' : ` (main thread ${perMessage(r.serverMainCpuMs, r)})`) +
      `, load ${perMessage(r.loadCpuMs, r)}` +
      (r.refusals > 0 ? `; ${r.refusals} refused and resent` : ''),
  }));
  const us = (value: number) => `${value.toFixed(0)} µs`;
  rows.push(
    { name: 'CPU/message: parse, validate', value: us(stages.frontUs), detail: 'JSON, API schema, record' },
    { name: 'CPU/message: Ingestor.add', value: us(stages.addUs), detail: 'redact, enrich, hash, compress' },
    { name: 'CPU/message: store write', value: us(stages.writeUs), detail: 'transactions of 500, fsync' },
    {
      name: 'CPU/message: add, pooled',
      value: us(stages.handoffUs),
      detail: `left on the writing thread with a prepare worker (worker: ${us(stages.workerUs)})`,
    },
  );
  const base = reports.find((r) => r.transport.startsWith('baseline'));
  const goals: Goal[] = [];
  for (const r of reports.filter((r) => r !== base)) {
    goals.push({
      name: `${r.transport} rate`,
      target: '>= 20,000/s',
      actual: `${Math.round(rate(r))}/s`,
      met: rate(r) >= 20_000,
    });
    if (r.p99Ms !== null)
      goals.push({
        name: `${r.transport} p99`,
        target: '< 50 ms',
        actual: `${r.p99Ms.toFixed(1)} ms`,
        met: r.p99Ms < 50,
      });
    if (base !== undefined && rate(base) > 0)
      rows.push({ name: `${r.transport} / baseline`, value: `${(rate(r) / rate(base)).toFixed(1)}×` });
  }
  printTable(
    `ingest: ${values.seconds} s measured after ${values.warmup} s warm-up; load average ${load[0]!.toFixed(1)} before, ${load[1]!.toFixed(1)} after (2 cores)`,
    rows,
    goals,
  );
}
