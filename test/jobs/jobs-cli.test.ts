import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobListOutput, jobRetryOutput, jobShowOutput, jobWorkOutput } from '../../src/jobs/job-json.ts';
import { injectable } from '../server/server-fixture.ts';
import { runCli } from '../support/run-cli.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { conversation, send, stop } from './pipeline-fixture.ts';

const tempDir = useTempDirs();

/** A store with two stopped sessions, one of which cannot pass validate: two queued jobs. */
async function twoStopped(dir: string): Promise<void> {
  const f = await injectable(dir);
  try {
    await send(f, [...conversation('answered'), ...conversation('unanswered')]);
    await stop(f, 'done-1');
    await stop(f, 'cut-off');
  } finally {
    await f.close();
  }
}

describe('agentlog jobs', () => {
  it('lists, works, shows and retries jobs (--json outputs match their contract)', async () => {
    const dir = tempDir();
    await twoStopped(dir);
    const cli = (...args: string[]) => runCli(['--data-dir', dir, 'jobs', ...args]);

    const listed = jobListOutput.parse(JSON.parse((await cli('list', '--json')).stdout));
    expect(listed.counts).toEqual({ queued: 2, running: 0, done: 0, dead: 0 });
    const [cutOff, done1] = listed.jobs;
    expect(listed.jobs.map((j) => [j.kind, j.state])).toEqual([
      ['session.complete', 'queued'],
      ['session.complete', 'queued'],
    ]);

    const worked = await cli('work', '--once', '--json');
    expect(worked.code).toBe(0);
    expect(jobWorkOutput.parse(JSON.parse(worked.stdout))).toEqual({
      recovered: 0,
      processed: 2,
      done: 1,
      retrying: 0,
      dead: 1,
      released: 0,
      lost: 0,
    });
    expect(worked.stderr).toContain(
      `agentlog: job ${cutOff!.id} dead: validate: 1 tool call(s) never answered`,
    );

    const dead = jobListOutput.parse(JSON.parse((await cli('list', '--state', 'dead', '--json')).stdout));
    expect(dead.jobs.map((j) => j.id)).toEqual([cutOff!.id]);
    const text = await cli('list');
    expect(text.stderr).toBe('queued 0, running 0, done 1, dead 1\n');
    expect(text.stdout).toMatch(
      new RegExp(`^ +${cutOff!.id}  dead +session\\.complete .* 1/5 .*validate: 1 tool call`, 'm'),
    );

    const shown = jobShowOutput.parse(JSON.parse((await cli('show', String(done1!.id), '--json')).stdout));
    expect(shown.session?.status).toBe('completed');
    expect(shown.session?.transitions.map((t) => t.to)).toEqual(['stopped', 'processing', 'completed']);
    const session = await runCli(['--data-dir', dir, 'sessions', 'show', done1!.key, '--format', 'json']);
    expect(
      JSON.parse(session.stdout).transitions.map((t: { from: string; to: string }) => `${t.from}→${t.to}`),
    ).toEqual(['active→stopped', 'stopped→processing', 'processing→completed']);
    const sessionText = (await runCli(['--data-dir', dir, 'sessions', 'show', done1!.key])).stdout;
    expect(sessionText).toContain('Status: completed');
    expect(sessionText).toMatch(/^- \S+Z processing → completed: /m);
    const shownText = (await cli('show', String(cutOff!.id))).stdout;
    expect(shownText).toContain('state dead, attempt 1 of 5');
    expect(shownText).toMatch(/validate +rejected .* 1 tool call\(s\) never answered/);
    expect(shownText).toContain('processing → failed');

    const retried = await cli('retry', String(cutOff!.id));
    expect([retried.code, retried.stdout]).toEqual([
      0,
      `Queued job ${cutOff!.id} (session.complete ${cutOff!.key}) again.\n`,
    ]);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ jobs: { unansweredToolCalls: 'warn' } }));
    expect(JSON.parse((await cli('work', '--once', '--json')).stdout)).toMatchObject({
      processed: 1,
      done: 1,
    });
    expect(JSON.parse((await cli('list', '--json')).stdout).counts).toEqual({
      queued: 0,
      running: 0,
      done: 2,
      dead: 0,
    });
  });

  it('answers a job that cannot be retried, an unknown job and a bad state with their exit codes', async () => {
    const dir = tempDir();
    await twoStopped(dir);
    const cli = (...args: string[]) => runCli(['--data-dir', dir, 'jobs', ...args]);
    const [job] = JSON.parse((await cli('list', '--json')).stdout).jobs as { id: number }[];
    const queued = await cli('retry', String(job!.id), '--json');
    expect([queued.code, jobRetryOutput.parse(JSON.parse(queued.stdout)).job.state]).toEqual([0, 'queued']); // ready now
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ jobs: { unansweredToolCalls: 'warn' } }));
    await cli('work', '--once');
    const done = await cli('retry', String(job!.id));
    expect([done.code, done.stderr]).toEqual([4, expect.stringContaining(`Job ${job!.id} is done`)]);
    const unknown = await cli('retry', '999');
    expect([unknown.code, unknown.stderr]).toEqual([3, expect.stringContaining('There is no job 999.')]);
    expect((await cli('show', 'abc')).code).toBe(2);
    const state = await cli('list', '--state', 'waiting');
    expect([state.code, state.stderr]).toEqual([
      2,
      expect.stringContaining('--state takes queued, running, done, dead'),
    ]);
  });
});
