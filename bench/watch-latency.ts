/**
 * Append → queryable latency of `agentlog watch`: one transcript line is appended at a time, as an
 * agent writes, and the time until watch reports it committed (its `imported` event comes after
 * the commit, so the message can be queried by then) is measured. The rescan period is set far
 * beyond the run, so only fs events count.
 *
 *   npx node bench/watch-latency.ts [--appends 300] [--json]
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAgentlog } from '../src/agentlog.ts';
import type { WatchEvent } from '../src/capture/watch-events.ts';
import { loadConfig } from '../src/config/config.ts';

const { values } = parseArgs({
  options: { appends: { type: 'string', default: '300' }, json: { type: 'boolean', default: false } },
});
const appends = Number(values.appends);
const sessionId = 'b3ac0000-1111-4222-8333-444455556666';
const bin = fileURLToPath(new URL('../bin/agentlog.js', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'agentlog-watch-latency-'));
const dataDir = join(dir, 'data');
const project = join(dir, 'live', '-tmp-bench');
mkdirSync(project, { recursive: true });
const file = join(project, `${sessionId}.jsonl`);

const child = spawn(
  process.execPath,
  [bin, '--data-dir', dataDir, 'watch', join(dir, 'live'), '--json', '--interval', '3600'],
  { env: { PATH: process.env.PATH, HOME: dir, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'inherit'] },
);
let pending = '';
let onEvent: (event: WatchEvent) => void = () => {};
child.stdout.on('data', (chunk: Buffer) => {
  pending += chunk.toString();
  for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
    onEvent(JSON.parse(pending.slice(0, nl)) as WatchEvent);
    pending = pending.slice(nl + 1);
  }
});
const nextEvent = (match: (e: WatchEvent) => boolean) =>
  new Promise<WatchEvent>((resolve) => {
    onEvent = (e) => {
      if (match(e)) resolve(e);
    };
  });

try {
  await nextEvent((e) => e.event === 'watching');
  const latencies: number[] = [];
  for (let i = 0; i < appends; i++) {
    const stored = nextEvent((e) => e.event === 'imported' && e.newMessages > 0);
    const started = performance.now();
    appendFileSync(file, `${line(i)}\n`);
    await stored;
    latencies.push(performance.now() - started);
  }
  const exited = new Promise((resolve) => child.on('close', resolve));
  child.kill('SIGTERM');
  await exited;

  const agentlog = await createAgentlog(loadConfig({ flags: { dataDir }, env: {}, home: dir }));
  const { messages } = await agentlog.store.counts(agentlog.project.id);
  await agentlog.close();
  if (messages !== appends) throw new Error(`expected ${appends} stored messages, found ${messages}`);

  latencies.sort((a, b) => a - b);
  const result = {
    appends,
    medianMs: round(quantile(latencies, 0.5)),
    p90Ms: round(quantile(latencies, 0.9)),
    p99Ms: round(quantile(latencies, 0.99)),
    maxMs: round(latencies.at(-1)!),
  };
  if (values.json) console.log(JSON.stringify(result));
  else
    console.log(
      `watch append→queryable over ${appends} appends: median ${result.medianMs} ms, p90 ${result.p90Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms`,
    );
} finally {
  child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}

/** One Claude Code transcript line: user and assistant turns in turn. */
function line(i: number): string {
  const uuid = `b3ac0000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
  const parentUuid = i === 0 ? null : `b3ac0000-0000-4000-8000-${(i - 1).toString(16).padStart(12, '0')}`;
  const envelope = { parentUuid, isSidechain: false, cwd: '/tmp/bench', sessionId, version: '2.1.40', uuid };
  const timestamp = new Date(Date.UTC(2026, 2, 2, 10) + i * 1000).toISOString();
  if (i % 2 === 0)
    return JSON.stringify({
      ...envelope,
      type: 'user',
      timestamp,
      message: { role: 'user', content: `Step ${i}?` },
    });
  return JSON.stringify({
    ...envelope,
    type: 'assistant',
    timestamp,
    requestId: `req_${i}`,
    message: {
      id: `msg_${i}`,
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: `Done with step ${i}. ${'All checks pass. '.repeat(10)}` }],
      usage: { input_tokens: 10, output_tokens: 30 },
    },
  });
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
