import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAgentlog } from '../../src/agentlog.ts';
import { loadConfig } from '../../src/config/config.ts';
import { apiMessageRecord } from '../../src/ingest/api-messages.ts';
import { GroupCommitter } from '../../src/ingest/group-commit.ts';
import { bearer, jsonOf, message } from '../server/server-fixture.ts';
import { runCli } from '../support/run-cli.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { conversation } from './pipeline-fixture.ts';
import { eventually, spawnServe } from './serve-process.ts';

const tempDir = useTempDirs();

type JobList = { jobs: { state: string; key: string }[]; counts: Record<string, number> };

async function jobList(dir: string): Promise<JobList> {
  return JSON.parse((await runCli(['--data-dir', dir, 'jobs', 'list', '--json'])).stdout) as JobList;
}

/** A session stopped by a process that died before it queued the completion job. */
async function stoppedWithoutJob(dir: string): Promise<void> {
  const agentlog = await createAgentlog(loadConfig({ flags: { dataDir: dir }, env: {}, home: dir }));
  try {
    const committer = new GroupCommitter(agentlog.store, {
      maxQueuedItems: 10,
      maxQueuedBytes: 1 << 20,
      maxItemsPerCommit: 10,
    });
    const submitted = committer.submit({ projectId: agentlog.project.id, source: 'api' }, [
      {
        record: apiMessageRecord({ id: 'o1', session: 'orphan', role: 'user', content: 'hi' }, Date.now(), 0),
        raw: null,
      },
    ]);
    if (submitted.queued) await submitted.committed;
    await committer.close();
    const [session] = await agentlog.store.findSessions(agentlog.project.id, 'orphan');
    await agentlog.store.transitionSession({
      sessionId: session!.id,
      from: ['active'],
      to: 'stopped',
      reason: 'crash',
      at: Date.now(),
    });
  } finally {
    await agentlog.close();
  }
}

describe('agentlog serve restarted with jobs pending', () => {
  it('completes the sessions stopped before a SIGKILL once it runs again', async () => {
    const dir = tempDir();
    const key = JSON.parse((await runCli(['--data-dir', dir, 'keys', 'create', '--json'])).stdout)
      .key as string;
    // The first server takes messages and stops but runs no jobs: they are pending when it dies.
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ jobs: { workInServer: false } }));
    const first = await spawnServe(dir);
    const post = (url: string, path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { ...bearer(key), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    try {
      expect(
        (await post(first.url, '/v1/messages:batch', { messages: conversation('answered') })).status,
      ).toBe(207);
      expect(
        (await post(first.url, '/v1/messages:batch', { messages: [message('x1', 'second')] })).status,
      ).toBe(207);
      expect((await post(first.url, '/v1/sessions/done-1/stop', {})).status).toBe(200);
      expect((await post(first.url, '/v1/sessions/second/stop', {})).status).toBe(200);
    } finally {
      first.child.kill('SIGKILL');
    }
    expect(await first.exited).toBeNull();
    expect((await jobList(dir)).counts).toEqual({ queued: 2, running: 0, done: 0, dead: 0 });
    await stoppedWithoutJob(dir);

    writeFileSync(join(dir, 'config.json'), JSON.stringify({}));
    const second = await spawnServe(dir);
    try {
      const status = async (session: string) => {
        const res = await fetch(`${second.url}/v1/sessions/${session}`, { headers: bearer(key) });
        return (await jsonOf<{ session: { status: string } }>(res)).session.status;
      };
      await eventually(async () => {
        const { counts } = await jobList(dir);
        return counts.queued === 0 && counts.running === 0;
      });
      expect([await status('done-1'), await status('second'), await status('orphan')]).toEqual([
        'completed',
        'completed',
        'completed',
      ]);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      second.child.kill('SIGKILL');
    }
    const jobs = await jobList(dir);
    expect(jobs.jobs.map((j) => j.state)).toEqual(['done', 'done', 'done']);
  });
});
