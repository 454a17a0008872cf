import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createAgentlog } from '../src/agentlog.ts';
import { issueApiKey } from '../src/auth/api-keys.ts';
import { loadConfig } from '../src/config/config.ts';
import type { ReliableReport } from './support/load-reliable.ts';
import type { SdkReport } from './support/load-sdk.ts';
import { startAgentlog, startLoad } from './support/load-process.ts';
import { printTable } from './support/report.ts';

/**
 * `npm run bench -- reliability [--kills 20]`: load processes send batches (raw HTTP, and the SDK)
 * while the server is killed with SIGKILL and restarted `--kills` times. Afterwards every
 * acknowledged message, and every message the SDK captured, must be in the store exactly once.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      kills: { type: 'string', default: '20' },
      /** Time the server runs between kills, chosen at random up to this many ms (at least 300). */
      uptime: { type: 'string', default: '1500' },
      /** Messages per second the SDK captures: below what the server takes, or its buffer fills. */
      'sdk-rate': { type: 'string', default: '100' },
      keep: { type: 'boolean' },
    },
  });
  const home = mkdtempSync(join(tmpdir(), 'agentlog-bench-reliability-'));
  const started = performance.now();
  const load = [loadavg()[0]!];
  try {
    const key = await issueKey(home);
    const port = await freePort();
    const serveArgs = ['--port', String(port)];
    const first = await startAgentlog(home, serveArgs);
    const url = first.url;
    let server = first.server;
    console.log(`agentlog serve on ${url}, store in ${home}`);
    const raw = startLoad<ReliableReport>('load-reliable.ts', ['--url', url, '--key', key]);
    const sdk = startLoad<SdkReport>('load-sdk.ts', [
      '--url',
      url,
      '--key',
      key,
      '--rate',
      values['sdk-rate'],
    ]);
    const kills = Number(values.kills);
    for (let i = 1; i <= kills; i++) {
      await sleep(300 + Math.random() * (Number(values.uptime) - 300));
      await server.stop('SIGKILL');
      ({ server } = await startAgentlog(home, serveArgs));
      process.stderr.write(`\rkilled and restarted ${i}/${kills}`);
    }
    process.stderr.write('\n');
    await sleep(500);
    raw.child.kill('SIGTERM');
    sdk.child.kill('SIGTERM');
    const [sent, captured] = await Promise.all([raw.result, sdk.result]);
    if ((await server.stop('SIGTERM')) !== 0)
      throw new Error(`the server did not stop cleanly:\n${server.log()}`);
    load.push(loadavg()[0]!);
    const check = await verify(home, sent, captured);
    report(kills, sent, captured, check, (performance.now() - started) / 1000, load);
  } finally {
    if (!values.keep) rmSync(home, { recursive: true, force: true });
  }
}

async function issueKey(home: string): Promise<string> {
  const agentlog = await createAgentlog(loadConfig({ flags: { dataDir: home }, env: {}, home }));
  try {
    return (await issueApiKey(agentlog.store, { projectName: 'default', scopes: ['ingest'] })).key;
  } finally {
    await agentlog.close();
  }
}

/** A port for the server to come back on after each kill. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

type Check = { stored: number; missingHttp: number; missingSdk: number; extra: number; duplicated: number };

/** Every expected id stored exactly once, and nothing stored that was never sent. */
async function verify(home: string, sent: ReliableReport, captured: SdkReport): Promise<Check> {
  const http = new Set<string>();
  for (const first of sent.acknowledged) for (let i = 0; i < sent.batch; i++) http.add(`r-${first + i}`);
  const sdk = new Set<string>();
  for (let n = 0; n < captured.captured; n++) sdk.add(`sdk-${n}`);
  const agentlog = await createAgentlog(loadConfig({ flags: { dataDir: home }, env: {}, home }));
  const seen = new Map<string, number>();
  try {
    const { store, project } = agentlog;
    for (const session of await store.listSessions({ projectId: project.id, limit: 500 }))
      for await (const message of store.messages(session.id))
        seen.set(message.externalId, (seen.get(message.externalId) ?? 0) + 1);
  } finally {
    await agentlog.close();
  }
  const missing = (ids: Set<string>) => [...ids].filter((id) => !seen.has(id)).length;
  let extra = 0;
  let duplicated = 0;
  for (const [id, count] of seen) {
    if (!http.has(id) && !sdk.has(id)) extra++;
    if (count > 1) duplicated++;
  }
  const stored = [...seen.values()].reduce((sum, n) => sum + n, 0);
  return { stored, missingHttp: missing(http), missingSdk: missing(sdk), extra, duplicated };
}

function report(
  kills: number,
  sent: ReliableReport,
  captured: SdkReport,
  check: Check,
  seconds: number,
  load: number[],
): void {
  const acknowledged = sent.acknowledged.length * sent.batch;
  printTable(
    `reliability: ${kills} SIGKILLs in ${seconds.toFixed(0)} s; load average ${load[0]!.toFixed(1)} before, ${load[1]!.toFixed(1)} after (2 cores)`,
    [
      { name: 'HTTP messages acknowledged', value: String(acknowledged), detail: `batches of ${sent.batch}` },
      {
        name: 'answered duplicate',
        value: String(sent.duplicates),
        detail: 'stored, answer lost to a kill, resent',
      },
      { name: 'failed attempts retried', value: String(sent.retries) },
      { name: 'SDK messages captured', value: String(captured.captured) },
      { name: 'SDK accepted + duplicate', value: String(captured.stats.accepted + captured.stats.duplicate) },
      { name: 'SDK retries', value: String(captured.stats.retries) },
      {
        name: 'SDK dropped',
        value: String(captured.stats.dropped),
        detail: captured.delivered
          ? 'close() delivered everything'
          : 'close() timed out: the rest is dropped',
      },
      { name: 'messages in the store', value: String(check.stored) },
    ],
    [
      {
        name: 'HTTP acknowledged, missing',
        target: '0',
        actual: String(check.missingHttp),
        met: check.missingHttp === 0,
      },
      {
        name: 'SDK captured, missing',
        target: '0',
        actual: String(check.missingSdk),
        met: check.missingSdk === 0,
      },
      {
        name: 'stored more than once',
        target: '0',
        actual: String(check.duplicated),
        met: check.duplicated === 0,
      },
      { name: 'stored but never sent', target: '0', actual: String(check.extra), met: check.extra === 0 },
      {
        name: 'SDK: all delivered, none dropped',
        target: 'yes',
        actual: captured.delivered && captured.stats.dropped === 0 ? 'yes' : 'no',
        met: captured.delivered && captured.stats.dropped === 0,
      },
    ],
  );
  const failed = check.missingHttp + check.missingSdk + check.duplicated + check.extra > 0;
  if (failed || !captured.delivered) {
    console.log('SDK warnings (the last of each kind):', captured.warnings);
    process.exitCode = 1;
  }
}
