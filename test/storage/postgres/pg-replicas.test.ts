import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { spawnCli } from '../../support/run-cli.ts';
import { projectRoot } from '../../support/shared-fixtures.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { freshPgSchema, testDatabaseUrl } from './pg-test-schema.ts';

const tempDir = useTempDirs();

type Replica = { child: ChildProcess; url: string; exited: Promise<unknown> };

/** `agentlog serve` on a free port, with the environment that points it at the shared Postgres. */
async function startReplica(env: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, [join(projectRoot, 'bin', 'agentlog.js'), 'serve', '--port', '0'], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH, TZ: 'UTC', AGENTLOG_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise((resolve) => child.on('close', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // It names the store it serves: the database and schema, never the credentials.
      const match =
        /serving postgres:\/\/127\.0\.0\.1:5432\/test\?schema=\w+ on (http:\/\/127\.0\.0\.1:\d+)/.exec(
          stderr,
        );
      if (match !== null) resolve(match[1]!);
    });
    void exited.then(() => reject(new Error(`agentlog serve exited:\n${stderr}`)));
  });
  return { child, url, exited };
}

async function query<T extends pg.QueryResultRow>(schema: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${schema}`);
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Starts four server processes on a machine that may be busy: give it time.
describe('three replicas on one Postgres', { timeout: 300_000 }, () => {
  it('store every acknowledged message exactly once, and complete each session once, while one is killed', async () => {
    const target = await freshPgSchema();
    const replicas: Replica[] = [];
    try {
      const home = tempDir();
      const env = {
        HOME: home,
        AGENTLOG_HOME: home,
        AGENTLOG_DATABASE_URL: target.url,
        AGENTLOG_DATABASE_SCHEMA: target.schema,
      };
      // A short lease, so a job held by a killed replica is taken over within the test.
      writeFileSync(join(home, 'config.json'), JSON.stringify({ jobs: { leaseSeconds: 2, pollMs: 100 } }));
      const created = await spawnCli(['keys', 'create', '--project', 'team', '--json'], env);
      expect(created.code, created.stderr).toBe(0);
      const key = (JSON.parse(created.stdout) as { key: string }).key;
      for (let i = 0; i < 3; i++) replicas.push(await startReplica(env));

      const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
      /** POSTs to one replica after another until one answers 2xx; a refused connection is a dead replica. */
      const post = async (path: string, body: unknown, start: number): Promise<Response> => {
        for (let attempt = 0; ; attempt++) {
          const replica = replicas[(start + attempt) % replicas.length]!;
          const answer = await fetch(`${replica.url}${path}`, {
            method: 'POST',
            headers,
            body: JSON.stringify(body),
          }).catch(() => null);
          if (answer !== null && answer.ok) return answer;
          if (attempt > 400) throw new Error(`no replica took ${path}: ${answer?.status ?? 'refused'}`);
          await sleep(25);
        }
      };

      const sent = new Set<string>();
      const acknowledged = new Set<string>();
      let running = true;
      const loop = async (lane: number) => {
        for (let n = 0; running; n++) {
          const messages = Array.from({ length: 20 }, (_, i) => ({
            id: `l${lane}-b${n}-m${i}`,
            session: `lane-${lane}`,
            role: i % 2 === 0 ? 'user' : 'assistant',
            content: `message ${i} of batch ${n} from lane ${lane}`,
          }));
          for (const m of messages) sent.add(m.id);
          // Resent with the same ids until some replica answers: that is the client's half of exactly once.
          const answer = await post('/v1/messages:batch', { messages }, lane + n);
          const { results } = (await answer.json()) as { results: { id: string; status: string }[] };
          for (const r of results) if (r.status !== 'rejected') acknowledged.add(r.id);
        }
      };
      const lanes = [0, 1, 2, 3, 4, 5].map(loop);

      // Kill one replica mid-load (twice), start it again on a new port each time.
      for (let kill = 0; kill < 2; kill++) {
        await sleep(1500);
        const victim = replicas[1]!;
        victim.child.kill('SIGKILL');
        await victim.exited;
        replicas[1] = await startReplica(env);
      }
      await sleep(1000);
      running = false;
      await Promise.all(lanes);
      expect(acknowledged.size).toBeGreaterThan(100);

      const stored = await query<{ external_id: string; copies: string }>(
        target.schema,
        "SELECT external_id, COUNT(*) AS copies FROM messages WHERE source = 'api' GROUP BY external_id",
      );
      const storedIds = new Set(stored.map((r) => r.external_id));
      expect(stored.filter((r) => Number(r.copies) !== 1)).toEqual([]);
      expect([...acknowledged].filter((id) => !storedIds.has(id))).toEqual([]);
      expect([...storedIds].filter((id) => !sent.has(id))).toEqual([]);

      // Every session stopped through some replica is completed once, even when a replica dies
      // holding a job: its lease ends and another replica runs the job again from the start.
      for (let lane = 0; lane < 6; lane++) await post(`/v1/sessions/lane-${lane}/stop`, {}, lane);
      replicas[2]!.child.kill('SIGKILL');
      await replicas[2]!.exited;
      replicas[2] = await startReplica(env);
      let sessions: { status: string }[] = [];
      for (let i = 0; i < 600; i++) {
        sessions = await query(target.schema, "SELECT status FROM sessions WHERE source = 'api'");
        if (sessions.every((s) => s.status === 'completed' || s.status === 'failed')) break;
        await sleep(100);
      }
      expect(sessions.map((s) => s.status)).toEqual(new Array(6).fill('completed'));
      const jobs = await query<{ key: string; state: string; runs: string }>(
        target.schema,
        "SELECT job_key AS key, state, attempts AS runs FROM jobs WHERE kind = 'session.complete'",
      );
      expect(jobs).toHaveLength(6);
      expect(jobs.map((j) => j.state)).toEqual(new Array(6).fill('done'));
      expect(jobs.every((j) => Number(j.runs) >= 1)).toBe(true);
      const completions = await query<{ n: string }>(
        target.schema,
        "SELECT COUNT(*) AS n FROM session_transitions WHERE to_status = 'completed'",
      );
      expect(Number(completions[0]!.n)).toBe(6);
    } finally {
      for (const replica of replicas) replica.child.kill('SIGKILL');
      await Promise.all(replicas.map((r) => r.exited));
      await target.drop();
    }
  });
});
