import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import {
  hasSharedFixtures,
  ownFixtures,
  sharedSkipReason,
  sharedTranscripts,
} from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { claudeSessionLines } from './claude-lines.ts';
import { runShellCommand, runWithInput } from './cli-process.ts';
import { storeSnapshot } from './store-snapshot.ts';

const tempDir = useTempDirs();
const sessionId = '6f0c2b1e-4a5d-4c1e-9b8a-3d2e1f0a9b7c';

/** A copy of the fixture project (offsets are kept per path, and the test appends to it). */
function claudeHome() {
  const home = tempDir();
  const projects = join(home, '.claude', 'projects');
  mkdirSync(projects, { recursive: true });
  cpSync(join(ownFixtures, 'hooks', 'claude', '-tmp-hooked'), join(projects, '-tmp-hooked'), {
    recursive: true,
  });
  const transcript = join(projects, '-tmp-hooked', `${sessionId}.jsonl`);
  const agentTranscript = join(projects, '-tmp-hooked', sessionId, 'subagents', 'agent-a1b2c3d.jsonl');
  return { home, projects, transcript, agentTranscript, dataDir: join(home, 'store') };
}

function logLines(dataDir: string): Record<string, unknown>[] {
  const path = join(dataDir, 'hooks.log');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('agentlog hooks run claude', () => {
  it('imports the transcript named on stdin, then only what was added, sub-agent included', async () => {
    const { home, projects, transcript, agentTranscript, dataDir } = claudeHome();
    const args = ['--data-dir', dataDir, 'hooks', 'run', 'claude'];
    const stop = {
      session_id: sessionId,
      transcript_path: transcript,
      cwd: '/tmp/hooked',
      hook_event_name: 'Stop',
    };
    const first = await runWithInput(args, JSON.stringify(stop), { HOME: home });
    expect(first).toMatchObject({ code: 0, stdout: '' });
    expect((await storeSnapshot(dataDir)).counts.messages).toBe(5);

    appendFileSync(transcript, `${claudeSessionLines(sessionId, 1, '/tmp/hooked').join('\n')}\n`);
    const subagentStop = {
      ...stop,
      hook_event_name: 'SubagentStop',
      agent_id: 'a1b2c3d',
      agent_transcript_path: agentTranscript,
    };
    const second = await runWithInput(args, JSON.stringify(subagentStop), { HOME: home });
    expect(second).toMatchObject({ code: 0, stdout: '' });
    expect(logLines(dataDir)).toEqual([]);

    // The same as importing the finished files in one go.
    const oneShot = join(home, 'one-shot');
    expect((await runCli(['--data-dir', oneShot, 'import', 'claude', projects], { HOME: home })).code).toBe(
      0,
    );
    const hooked = await storeSnapshot(dataDir);
    expect(hooked.counts.messages).toBe(9);
    expect(hooked).toEqual(await storeSnapshot(oneShot));
  });

  it('finds the transcript by session id when the hook gives no path', async () => {
    const { home, dataDir } = claudeHome();
    const input = JSON.stringify({
      session_id: sessionId,
      transcript_path: null,
      hook_event_name: 'SessionEnd',
    });
    const result = await runWithInput(['--data-dir', dataDir, 'hooks', 'run', 'claude'], input, {
      HOME: home,
    });
    expect(result.code).toBe(0);
    expect((await storeSnapshot(dataDir)).counts.messages).toBe(5);
  });

  it('brings hooked sessions into the lifecycle: a Stop makes them active, SessionEnd stops and queues their completion', async () => {
    const { home, transcript, dataDir } = claudeHome();
    const args = ['--data-dir', dataDir, 'hooks', 'run', 'claude'];
    const hook = (event: string) =>
      runWithInput(
        args,
        JSON.stringify({ session_id: sessionId, transcript_path: transcript, hook_event_name: event }),
        { HOME: home },
      );
    const cli = async (...rest: string[]) =>
      JSON.parse((await runCli(['--data-dir', dataDir, ...rest], { HOME: home })).stdout);
    const history = async () =>
      (await cli('sessions', 'show', sessionId, '--format', 'json')).transitions.map(
        (t: { from: string; to: string; reason: string }) => [t.from, t.to, t.reason],
      );

    expect((await hook('Stop')).code).toBe(0);
    expect(await history()).toEqual([['imported', 'active', 'live capture: claude-code Stop hook']]);
    expect((await cli('jobs', 'list', '--json')).jobs).toEqual([]);

    // Nothing new in the transcript: the session named by the hook is stopped all the same.
    expect((await hook('SessionEnd')).code).toBe(0);
    expect((await history()).at(-1)).toEqual([
      'active',
      'stopped',
      'claude-code SessionEnd hook: the agent ended the session',
    ]);
    const { jobs } = await cli('jobs', 'list', '--json');
    expect(jobs.map((j: { kind: string; state: string }) => [j.kind, j.state])).toEqual([
      ['session.complete', 'queued'],
    ]);
    expect(await cli('jobs', 'work', '--once', '--json')).toMatchObject({ processed: 1, done: 1 });
    expect((await cli('sessions', 'show', sessionId, '--format', 'json')).session.status).toBe('completed');
    expect(logLines(dataDir)).toEqual([]);
  });

  it('exits 0 on garbage input and on a missing transcript, writing the problem to hooks.log', async () => {
    const { home, dataDir } = claudeHome();
    const args = ['--data-dir', dataDir, 'hooks', 'run', 'claude'];
    const garbage = await runWithInput(args, 'this is not {json', { HOME: home });
    expect(garbage).toMatchObject({ code: 0, stdout: '' });
    const missing = JSON.stringify({
      session_id: 'gone',
      transcript_path: join(home, 'nowhere.jsonl'),
      hook_event_name: 'Stop',
    });
    expect((await runWithInput(args, missing, { HOME: home })).code).toBe(0);
    const unknownAgent = await runWithInput(['--data-dir', dataDir, 'hooks', 'run', 'nobody'], '{}', {
      HOME: home,
    });
    expect(unknownAgent.code).toBe(0);

    const log = logLines(dataDir);
    expect(log).toHaveLength(3);
    expect(log[0]).toMatchObject({
      agent: 'claude',
      error: expect.stringContaining('hook input is not JSON'),
    });
    expect(log[1]).toMatchObject({
      agent: 'claude',
      event: 'Stop',
      session: 'gone',
      file: join(home, 'nowhere.jsonl'),
      skipped: expect.stringContaining('cannot be read'),
    });
    expect(log[2]).toMatchObject({
      agent: 'nobody',
      error: expect.stringContaining('No hooks for "nobody"'),
    });
  });

  it('works through the command that install wrote, run by a shell as the agent runs it', async () => {
    const { home, transcript, dataDir } = claudeHome();
    expect((await runCli(['--data-dir', dataDir, 'hooks', 'install', 'claude'], { HOME: home })).code).toBe(
      0,
    );
    const settings = JSON.parse(readFileSync(join(home, '.claude', 'settings.json'), 'utf8'));
    const command: string = settings.hooks.Stop[0].hooks[0].command;
    // Another directory and no PATH: the command must not depend on either.
    const input = JSON.stringify({
      session_id: sessionId,
      transcript_path: transcript,
      hook_event_name: 'Stop',
    });
    const result = await runShellCommand(`cd / && ${command}`, input, { HOME: home, PATH: '/nonexistent' });
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect((await storeSnapshot(dataDir)).counts.messages).toBe(5);
  });
});

describe.skipIf(!hasSharedFixtures)(
  `agentlog hooks run codex${hasSharedFixtures ? '' : ` (skipped: ${sharedSkipReason})`}`,
  () => {
    it("finds the rollout of Codex's notify argument under CODEX_HOME by its thread id", async () => {
      const home = tempDir();
      const codexHome = join(home, 'codex-home');
      cpSync(join(sharedTranscripts, 'codex'), codexHome, { recursive: true });
      const dataDir = join(home, 'store');
      const notify = JSON.stringify({
        type: 'agent-turn-complete',
        'thread-id': '019e1625-789d-76c0-80ab-3724b5ddb799',
        'turn-id': '7',
        cwd: '/w',
      });
      const args = ['--data-dir', dataDir, 'hooks', 'run', 'codex', notify];
      const result = await runWithInput(args, '', { HOME: home, CODEX_HOME: codexHome });
      expect(result).toMatchObject({ code: 0, stdout: '' });
      expect(logLines(dataDir)).toEqual([]);
      const stored = await storeSnapshot(dataDir);
      expect(Object.keys(stored.sessions)).toEqual(['019e1625-789d-76c0-80ab-3724b5ddb799']);
    });
  },
);
