import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createAgentlog } from '../src/agentlog.ts';
import { issueApiKey } from '../src/auth/api-keys.ts';
import { loadConfig } from '../src/config/config.ts';
import type { LoadReport } from './support/load-messages.ts';
import { cpuMsOf, projectRoot, runLoad, startProcess, type ServerProcess } from './support/load-process.ts';
import { printTable, type Goal, type Row } from './support/report.ts';

type Options = {
  'database-url': string;
  replicas: string;
  seconds: string;
  warmup: string;
  batch: string;
  concurrency: string;
};

type Result = {
  replicas: number;
  rate: number;
  p50Ms: number;
  p99Ms: number;
  serverCpuUs: number;
  postgresCpuUs: number;
};

/**
 * `npm run bench -- ingest-pg [--replicas 1,3] [--database-url URL] [--seconds 10]`: durable HTTP
 * ingest into `agentlog serve` replicas sharing one PostgreSQL, each replica loaded by its own
 * process on loopback. Reports messages/s, acknowledgement latency, CPU per message of the
 * replicas and of PostgreSQL, and the scaling factor from one replica to the most.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
      replicas: { type: 'string', default: '1,3' },
      seconds: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      batch: { type: 'string', default: '100' },
      /** Keep-alive connections in all, shared out over the replicas. */
      concurrency: { type: 'string', default: '8' },
    },
  });
  const loadBefore = loadavg()[0]!;
  const results: Result[] = [];
  for (const count of values.replicas.split(',').map(Number)) {
    if (!Number.isInteger(count) || count < 1) throw new Error(`--replicas: ${values.replicas}`);
    results.push(await measure(count, values));
  }
  report(results, [loadBefore, loadavg()[0]!], values);
}

async function measure(count: number, values: Options): Promise<Result> {
  const schema = `agentlog_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: values['database-url'] });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const home = mkdtempSync(join(tmpdir(), 'agentlog-bench-replicas-'));
  // Named connections, so PostgreSQL's CPU is counted for this run's backends only (the server
  // may have other clients on a shared machine).
  const application = `agentlog_bench_${schema}`;
  const url = new URL(values['database-url']);
  url.searchParams.set('application_name', application);
  const env = {
    AGENTLOG_DATABASE_URL: url.toString(),
    AGENTLOG_DATABASE_SCHEMA: schema,
    AGENTLOG_LOG_LEVEL: 'warn',
  };
  const servers: ServerProcess[] = [];
  try {
    const key = await issueKey(home, env);
    const urls: string[] = [];
    for (let i = 0; i < count; i++) {
      const server = startProcess(
        [join(projectRoot, 'bin', 'agentlog.js'), '--data-dir', home, 'serve', '--port', '0'],
        env,
      );
      servers.push(server);
      const [, url] = await server.waitFor(/serving \S+ on (http:\/\/\S+)/);
      urls.push(url!);
    }
    console.log(`${count} replica(s) on ${urls.join(', ')}, store in schema ${schema}`);
    const perLoad = Math.max(1, Math.round(Number(values.concurrency) / count));
    const serverBefore = servers.map((s) => cpuMsOf(s.child.pid));
    const postgresBefore = await backendCpuMs(admin, application);
    const reports = await Promise.all(
      urls.map((url, i) =>
        runLoad<LoadReport>('load-http.ts', [
          ...['--url', url, '--key', key, '--prefix', `r${i}`],
          ...['--batch', values.batch, '--concurrency', String(perLoad)],
          ...['--seconds', values.seconds, '--warmup', values.warmup],
        ]),
      ),
    );
    const serverCpuMs = servers.reduce((sum, s, i) => sum + cpuMsOf(s.child.pid) - serverBefore[i]!, 0);
    const postgresMs = (await backendCpuMs(admin, application)) - postgresBefore;
    const acknowledged = reports.reduce((sum, r) => sum + r.acknowledged, 0);
    const { rows } = await admin.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${schema}.messages`);
    if (Number(rows[0]!.n) !== acknowledged)
      throw new Error(`the store holds ${rows[0]!.n} messages, ${acknowledged} were acknowledged`);
    const measured = reports.reduce((sum, r) => sum + r.messages, 0);
    return {
      replicas: count,
      rate: measured / Number(values.seconds),
      // Each load process measured its own replica: the slowest one's figures stand for all.
      p50Ms: Math.max(...reports.map((r) => r.p50Ms ?? NaN)),
      p99Ms: Math.max(...reports.map((r) => r.p99Ms ?? NaN)),
      serverCpuUs: (serverCpuMs * 1000) / acknowledged,
      postgresCpuUs: (postgresMs * 1000) / acknowledged,
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
    rmSync(home, { recursive: true, force: true });
  }
}

async function issueKey(home: string, env: Record<string, string>): Promise<string> {
  const agentlog = await createAgentlog(loadConfig({ flags: { dataDir: home }, env, home }));
  try {
    return (await issueApiKey(agentlog.store, { projectName: 'default', scopes: ['ingest'] })).key;
  } finally {
    await agentlog.close();
  }
}

/** CPU time of the PostgreSQL backends serving this run's replicas (the server is local), from /proc. */
async function backendCpuMs(admin: pg.Client, application: string): Promise<number> {
  const { rows } = await admin.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
    [application],
  );
  return rows.reduce((sum, r) => sum + cpuMsOf(r.pid), 0);
}

function report(results: Result[], load: number[], values: Options): void {
  const rows: Row[] = results.map((r) => ({
    name: `${r.replicas} replica(s)`,
    value: `${Math.round(r.rate).toLocaleString('en-US')} msg/s`,
    detail:
      `p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms; CPU per message: replicas ` +
      `${r.serverCpuUs.toFixed(0)} µs, PostgreSQL ${r.postgresCpuUs.toFixed(0)} µs`,
  }));
  const one = results.find((r) => r.replicas === 1);
  const most = results.reduce((a, b) => (b.replicas > a.replicas ? b : a));
  if (one !== undefined && most !== one)
    rows.push({ name: `scaling ${most.replicas} / 1`, value: `${(most.rate / one.rate).toFixed(2)}×` });
  const goals: Goal[] = results.map((r) => ({
    name: `${r.replicas} replica(s) p99`,
    target: '< 50 ms',
    actual: `${r.p99Ms.toFixed(1)} ms`,
    met: r.p99Ms < 50,
  }));
  printTable(
    `ingest on PostgreSQL: ${values.seconds} s measured after ${values.warmup} s warm-up, batches of ${values.batch}, ` +
      `${values.concurrency} connections in all; load average ${load[0]!.toFixed(1)} before, ${load[1]!.toFixed(1)} after (2 cores)`,
    rows,
    goals,
  );
}
