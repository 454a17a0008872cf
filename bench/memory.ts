import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request as httpRequest } from 'node:http';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createAgentlog, type Agentlog } from '../src/agentlog.ts';
import { issueApiKey } from '../src/auth/api-keys.ts';
import { loadConfig } from '../src/config/config.ts';
import { sessionIdFor } from '../src/domain/ids.ts';
import { GroupCommitter } from '../src/ingest/group-commit.ts';
import { memoryOver, type SessionMemory } from '../src/memory/index.ts';
import { countContent, memorySource, messageItem, toBlocks } from '../src/memory/memory-records.ts';
import { commitItems } from '../src/memory/memory-writer.ts';
import { importTokenCounter } from '../src/memory/token-count.ts';
import { startServer } from '../src/server/start-server.ts';
import { Random } from './corpus/random.ts';
import { prose } from './corpus/text.ts';
import { printTable, type Goal, type Row } from './support/report.ts';

/**
 * `npm run bench -- memory [--messages N] [--sessions N] [--calls N] [--max-tokens N] [--store DIR]
 *   [--client http|fetch] [--pause-ms N]`:
 * loads N messages across the sessions through the write path (skipped when --store already holds
 * them), then measures addMessage (one writer, many writers), and context() in process and over
 * HTTP on loopback, on sessions picked across the store. Calls follow each other at once, or
 * after a pause of --pause-ms (a server between requests: on a shared machine, a process that
 * sleeps between calls is scheduled differently from one that never does).
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      messages: { type: 'string', default: '1000000' },
      sessions: { type: 'string', default: '10000' },
      calls: { type: 'string', default: '3000' },
      'max-tokens': { type: 'string', default: '2000' },
      store: { type: 'string' },
      keep: { type: 'boolean' },
      client: { type: 'string', default: 'http' },
      'pause-ms': { type: 'string', default: '0' },
    },
  });
  const size = { messages: Number(values.messages), sessions: Number(values.sessions) };
  const calls = Number(values.calls);
  const maxTokens = Number(values['max-tokens']);
  const client = values.client;
  const pauseMs = Number(values['pause-ms']);
  if (client !== 'http' && client !== 'fetch') throw new Error('--client is http or fetch');
  const dir = values.store ?? mkdtempSync(join(tmpdir(), 'agentlog-memory-bench-'));
  const agentlog = await createAgentlog(loadConfig({ flags: { dataDir: dir }, env: {}, home: dir }));
  const memory = memoryOver(agentlog);
  try {
    const load = await loadCorpus(agentlog, memory, size);
    const sequential = await addSequential(memory, 200);
    const concurrent = await addConcurrent(memory, 64, 40);
    const names = Array.from({ length: calls }, (_, i) => sessionName((i * 7919) % size.sessions));
    const inProcess = await latencies(names, (name) => memory.context(name, { maxTokens }), pauseMs);
    const messagesFormat = await latencies(
      names,
      (name) => memory.context(name, { maxTokens, format: 'messages' }),
      pauseMs,
    );
    const recent = await latencies(names, (name) => memory.recentMessages(name, { limit: 20 }), pauseMs);
    const http = await overHttp(agentlog, names, { maxTokens, client, pauseMs });
    const { messages } = await agentlog.store.counts(agentlog.project.id);
    report({
      client,
      pauseMs,
      dir,
      size,
      messages,
      load,
      sequential,
      concurrent,
      inProcess,
      messagesFormat,
      recent,
      http,
      maxTokens,
    });
  } finally {
    await memory.close();
    await agentlog.close();
    if (values.keep || values.store !== undefined) console.log(`store kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

const sessionName = (i: number) => `bench-session-${i}`;

type Rate = { count: number; ms: number };

/**
 * Fills the store through the write path (the group committer), with the records addMessage
 * writes, in large batches: the load is set-up, so it skips addMessage's per-call checks.
 */
async function loadCorpus(
  agentlog: Agentlog,
  memory: SessionMemory,
  size: { messages: number; sessions: number },
): Promise<Rate | null> {
  const { messages: stored } = await agentlog.store.counts(agentlog.project.id);
  if (stored >= size.messages) return null;
  const committer = new GroupCommitter(agentlog.store, {
    maxQueuedItems: 50_000,
    maxQueuedBytes: 256 << 20,
    maxItemsPerCommit: 5000,
  });
  const count = await importTokenCounter();
  const random = new Random(42);
  const batch = 2500;
  const inFlight: Promise<unknown>[] = [];
  const started = performance.now();
  for (let from = 0; from < size.messages; from += batch) {
    const items = [];
    for (let i = from; i < Math.min(from + batch, size.messages); i++) {
      const session = sessionName(i % size.sessions);
      const blocks = toBlocks(prose(random, random.int(1, 5)));
      const draft = {
        session,
        externalId: `${sessionIdFor(agentlog.project.id, memorySource, session)}:m${i}`,
        role: Math.floor(i / size.sessions) % 2 === 0 ? ('user' as const) : ('assistant' as const),
        kind: 'message' as const,
        blocks,
        agent: null,
        metadata: {},
        tokens: countContent(blocks, count),
        at: Date.now(),
      };
      items.push(messageItem(draft, { session, content: blocks }));
    }
    inFlight.push(commitItems(committer, agentlog.project.id, items));
    if (inFlight.length >= 4) await inFlight.shift();
    if ((from / batch) % 40 === 0) process.stderr.write(`  loaded ${from + batch} messages\r`);
  }
  await Promise.all(inFlight);
  await committer.close();
  const ms = performance.now() - started;
  // One session in ten has a pinned note.
  const pins: Promise<unknown>[] = [];
  for (let i = 0; i < size.sessions; i += 10) pins.push(memory.pin(sessionName(i), prose(random, 1)));
  await Promise.all(pins);
  process.stderr.write('\n');
  return { count: size.messages, ms };
}

/** One writer awaiting each add: every add is its own commit (fsync). */
async function addSequential(memory: SessionMemory, count: number): Promise<Rate> {
  const started = performance.now();
  for (let i = 0; i < count; i++)
    await memory.addMessage('bench-sequential', { role: 'user', content: `turn ${i}` });
  return { count, ms: performance.now() - started };
}

/** Many writers (chat sessions), each awaiting its own adds: their commits are grouped. */
async function addConcurrent(memory: SessionMemory, writers: number, each: number): Promise<Rate> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; i < each; i++)
        await memory.addMessage(`bench-writer-${w}`, {
          role: i % 2 ? 'assistant' : 'user',
          content: `turn ${i}`,
        });
    }),
  );
  return { count: writers * each, ms: performance.now() - started };
}

/**
 * Wall-clock times per call, and CPU times per call: on a busy machine the wall time includes
 * waiting for a core, which the CPU time leaves out. The CPU time is the process's: it also counts
 * V8's background threads (compiling, sweeping, helping a GC) while the call runs. Garbage
 * collections during the timed calls and the load average around them say where a tail comes from.
 */
type Latency = {
  p50: number;
  p99: number;
  max: number;
  cpuP50: number;
  cpuP99: number;
  calls: number;
  gcs: number;
  gcMs: number;
  load: [number, number];
};

const warmUpCalls = 300;

const idleGc = (globalThis as { gc?: (options: { type: 'minor' | 'major' }) => void }).gc;

async function latencies(
  names: readonly string[],
  call: (name: string) => Promise<unknown>,
  pauseMs: number,
): Promise<Latency> {
  for (const name of names.slice(0, warmUpCalls)) await call(name); // tokenizer, statements, JIT
  const times: number[] = [];
  const cpu: number[] = [];
  const pauses: number[] = [];
  const gcs = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push(entry.duration);
  });
  gcs.observe({ entryTypes: ['gc'] });
  const loadBefore = loadavg()[0]!;
  for (const [i, name] of names.entries()) {
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    // With node --expose-gc: a young-generation collection between batches, untimed, as a server
    // could do when idle, so that collections fall outside the calls.
    if (idleGc !== undefined && i % 100 === 0) idleGc({ type: 'minor' });
    const cpuStarted = cpuMs();
    const started = performance.now();
    await call(name);
    times.push(performance.now() - started);
    cpu.push(cpuMs() - cpuStarted);
  }
  await new Promise((resolve) => setTimeout(resolve, 20)); // GC entries arrive through the event loop
  gcs.disconnect();
  const quantile = (values: number[], q: number) =>
    values.toSorted((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
  return {
    p50: quantile(times, 0.5),
    p99: quantile(times, 0.99),
    max: Math.max(...times),
    cpuP50: quantile(cpu, 0.5),
    cpuP99: quantile(cpu, 0.99),
    calls: times.length,
    gcs: pauses.length,
    gcMs: pauses.reduce((sum, p) => sum + p, 0),
    load: [loadBefore, loadavg()[0]!],
  };
}

/** The process's CPU time in ms: exact (the main thread's own count comes in 4 ms ticks here). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** How this process is scheduled (Linux): a real-time policy or its nice value, as the figures depend on it. */
function scheduling(): string {
  try {
    // Fields after the command name (which may hold spaces): nice is the 19th field, policy the 41st.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const nice = fields[16];
    const policy = ['SCHED_OTHER', 'SCHED_FIFO', 'SCHED_RR', 'SCHED_BATCH', '', 'SCHED_IDLE'][
      Number(fields[38])
    ];
    return policy === 'SCHED_OTHER' ? `nice ${nice}` : `${policy ?? 'policy ' + fields[38]} (real time)`;
  } catch {
    return 'unknown';
  }
}

type HttpClient = 'http' | 'fetch';

/**
 * context() through `agentlog serve` on 127.0.0.1, one request at a time over a kept-alive
 * connection, the client in this process: node:http by default, or fetch (undici), which costs
 * about 0.1 ms more per request here and makes garbage of its own (web streams) that the
 * server's figures would carry.
 */
async function overHttp(
  agentlog: Agentlog,
  names: readonly string[],
  { maxTokens, client, pauseMs }: { maxTokens: number; client: HttpClient; pauseMs: number },
): Promise<Latency> {
  agentlog.config.server = { ...agentlog.config.server, port: 0 };
  const server = await startServer(agentlog);
  const { key } = await issueApiKey(agentlog.store, {
    projectName: agentlog.config.project,
    scopes: ['read'],
  });
  const headers = { authorization: `Bearer ${key}` };
  const path = (name: string) => `/v1/memory/sessions/${name}/context?maxTokens=${maxTokens}`;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const { hostname, port } = new URL(server.url);
  const viaHttp = (name: string) =>
    new Promise<void>((resolve, reject) => {
      const request = httpRequest({ agent, host: hostname, port, path: path(name), headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode === 200) resolve();
          else reject(new Error(`context answered ${response.statusCode}: ${Buffer.concat(chunks)}`));
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end();
    });
  const viaFetch = async (name: string) => {
    const response = await fetch(`${server.url}${path(name)}`, { headers });
    if (response.status !== 200)
      throw new Error(`context answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  };
  try {
    return await latencies(names, client === 'http' ? viaHttp : viaFetch, pauseMs);
  } finally {
    agent.destroy();
    await server.close();
  }
}

type Findings = {
  client: HttpClient;
  pauseMs: number;
  dir: string;
  size: { messages: number; sessions: number };
  messages: number;
  load: Rate | null;
  sequential: Rate;
  concurrent: Rate;
  inProcess: Latency;
  messagesFormat: Latency;
  recent: Latency;
  http: Latency;
  maxTokens: number;
};

const millis = (value: number) => `${value.toFixed(3)} ms`;
const perSecond = (rate: Rate) => `${Math.round(rate.count / (rate.ms / 1000)).toLocaleString('en-US')} /s`;
const spread = (l: Latency) =>
  `p50 ${millis(l.p50)}, max ${millis(l.max)}; CPU p50 ${millis(l.cpuP50)}, p99 ${millis(l.cpuP99)}; ` +
  `${l.calls} calls, ${l.gcs} GCs (${millis(l.gcMs / Math.max(1, l.gcs))} each); load ${l.load[0].toFixed(1)} → ${l.load[1].toFixed(1)}`;

function report(f: Findings): void {
  const storeMb = statSync(join(f.dir, 'agentlog.db')).size / 1024 / 1024;
  const rows: Row[] = [
    {
      name: 'stored messages',
      value: f.messages.toLocaleString('en-US'),
      detail: `${f.size.sessions} sessions, ${storeMb.toFixed(0)} MB`,
    },
    ...(f.load === null
      ? []
      : [
          {
            name: 'load through the committer (batches of 2500)',
            value: perSecond(f.load),
            detail: `${(f.load.ms / 1000).toFixed(0)} s`,
          },
        ]),
    {
      name: 'addMessage, one writer (each durable)',
      value: perSecond(f.sequential),
      detail: `${millis(f.sequential.ms / f.sequential.count)} each`,
    },
    { name: 'addMessage, 64 writers', value: perSecond(f.concurrent), detail: `${f.concurrent.count} adds` },
    {
      name: `context() p99, text, ${f.maxTokens} tokens`,
      value: millis(f.inProcess.p99),
      detail: spread(f.inProcess),
    },
    {
      name: 'context() p99, messages format',
      value: millis(f.messagesFormat.p99),
      detail: spread(f.messagesFormat),
    },
    { name: 'recentMessages(20) p99', value: millis(f.recent.p99), detail: spread(f.recent) },
    {
      name: `context over HTTP p99 (loopback, ${f.client})`,
      value: millis(f.http.p99),
      detail: spread(f.http),
    },
  ];
  const goals: Goal[] = [
    {
      name: 'context() p99 in process',
      target: '<= 1 ms',
      actual: millis(f.inProcess.p99),
      met: f.inProcess.p99 <= 1,
    },
    { name: 'context p99 over HTTP', target: '<= 5 ms', actual: millis(f.http.p99), met: f.http.p99 <= 5 },
    {
      name: 'the same, CPU time: in process',
      target: '<= 1 ms',
      actual: millis(f.inProcess.cpuP99),
      met: f.inProcess.cpuP99 <= 1,
    },
    {
      name: 'the same, CPU time: HTTP (client and server)',
      target: '<= 5 ms',
      actual: millis(f.http.cpuP99),
      met: f.http.cpuP99 <= 5,
    },
  ];
  printTable(
    `memory benchmark: ${f.messages.toLocaleString('en-US')} messages; ${scheduling()}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' ',
      )} on ${availableParallelism()} cores; ${f.pauseMs > 0 ? `${f.pauseMs} ms between calls` : 'calls back to back'}${idleGc === undefined ? '' : '; a minor GC every 100 calls, untimed'}`,
    rows,
    goals,
  );
}
