import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findLatestTranscript, findTranscriptOfSession } from '../../src/runs/find-transcript.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import {
  agentlog,
  chainIdOf,
  makeMachine,
  showRun,
  writeClaudeSession,
  type Machine,
} from './run-fixture.ts';

const codexThread = '019c7a10-1400-7e00-8000-0000000000aa';
const geminiSession = 'c0ffee01-5e55-4a1d-9b0b-0000000000bb';

function writeCodexRollout(machine: Machine, cwd: string, thread = codexThread, subagent = false): string {
  const dir = join(machine.home, '.codex', 'sessions', '2026', '03', '02');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `rollout-2026-03-02T10-00-00-${thread}.jsonl`);
  const lines = [
    {
      timestamp: '2026-03-02T10:00:00.000Z',
      type: 'session_meta',
      payload: {
        id: thread,
        timestamp: '2026-03-02T10:00:00.000Z',
        cwd,
        originator: 'codex_cli_rs',
        cli_version: '0.130.0',
        source: subagent ? { subagent: { thread_spawn: { parent_thread_id: codexThread } } } : 'cli',
      },
    },
    { timestamp: '2026-03-02T10:00:01.000Z', type: 'turn_context', payload: { cwd, model: 'gpt-5-codex' } },
    {
      timestamp: '2026-03-02T10:00:02.000Z',
      type: 'response_item',
      payload: {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: 'Use 16 data loader workers.' }],
      },
    },
    {
      timestamp: '2026-03-02T10:00:02.000Z',
      type: 'event_msg',
      payload: { type: 'user_message', message: 'Use 16 data loader workers.', images: [] },
    },
  ];
  writeFileSync(path, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return path;
}

function writeGeminiChat(machine: Machine, projectRoot: string): string {
  const dir = join(machine.home, '.gemini', 'tmp', 'project-slug', 'chats');
  mkdirSync(dir, { recursive: true });
  const header = {
    sessionId: geminiSession,
    projectHash: createHash('sha256').update(projectRoot).digest('hex'),
    startTime: '2026-03-02T09:00:00.000Z',
    lastUpdated: '2026-03-02T09:00:00.000Z',
    kind: 'main',
  };
  const message = {
    id: 'g1',
    timestamp: '2026-03-02T09:00:01.000Z',
    type: 'user',
    content: [{ text: 'Train on 4 GPUs.' }],
  };
  const path = join(dir, 'session-2026-03-02T09-00-c0ffee01.jsonl');
  writeFileSync(path, `${JSON.stringify(header)}\n${JSON.stringify(message)}\n`);
  return path;
}

function age(path: string, minutesAgo: number): void {
  const when = new Date(Date.now() - minutesAgo * 60_000);
  utimesSync(path, when, when);
}

describe('finding the conversation that launched a run', () => {
  const tempDir = useTempDirs();
  const env = (machine: Machine) => ({ home: machine.home, vars: { HOME: machine.home } });

  it('picks the most recent transcript of any agent whose working directory is the run directory', async () => {
    const machine = makeMachine(tempDir());
    const claude = writeClaudeSession(machine, '1a1a1a1a-1111-4222-8333-444455556666', machine.project, [
      { role: 'user', text: 'hi' },
    ]);
    const codex = writeCodexRollout(machine, machine.project);
    const gemini = writeGeminiChat(machine, machine.project);
    const elsewhere = writeClaudeSession(machine, '2b2b2b2b-1111-4222-8333-444455556666', '/somewhere/else', [
      { role: 'user', text: 'x' },
    ]);
    age(claude, 30);
    age(codex, 20);
    age(gemini, 10);
    age(elsewhere, 0);
    expect(await findLatestTranscript(machine.project, env(machine))).toMatchObject({
      path: gemini,
      sessionId: geminiSession,
    });
    age(codex, 5);
    expect(await findLatestTranscript(machine.project, env(machine))).toMatchObject({
      path: codex,
      sessionId: codexThread,
    });
    age(claude, 1);
    expect(await findLatestTranscript(machine.project, env(machine))).toMatchObject({
      path: claude,
      sessionId: '1a1a1a1a-1111-4222-8333-444455556666',
    });
    expect(await findLatestTranscript(join(machine.project, 'sub'), env(machine))).toBeNull();
  });

  it('passes over sub-agent transcripts: the main conversation is the one that decided', async () => {
    const machine = makeMachine(tempDir());
    const main = writeCodexRollout(machine, machine.project);
    const sub = writeCodexRollout(machine, machine.project, '019c7a10-1400-7e00-8000-0000000000cc', true);
    age(main, 10);
    age(sub, 0);
    expect((await findLatestTranscript(machine.project, env(machine)))?.path).toBe(main);
  });

  it('finds a session named by the start of its id', async () => {
    const machine = makeMachine(tempDir());
    writeCodexRollout(machine, '/other/dir');
    expect((await findTranscriptOfSession('019c7a10-1400', env(machine)))?.sessionId).toBe(codexThread);
    expect(await findTranscriptOfSession('ffffffff', env(machine))).toBeNull();
  });

  it('captures a Codex session through the import path: the store and conversation.json both have it', async () => {
    const machine = makeMachine(tempDir());
    writeCodexRollout(machine, machine.project);
    const result = await agentlog(machine, ['run', '--cwd', machine.project, '--', 'true']);
    expect(result.stderr).toMatch(new RegExp(`conversation codex ${codexThread} \\(1 message\\)`));
    const { run } = await showRun(machine, chainIdOf(result.stderr));
    const conversation = JSON.parse(readFileSync(run.conversationLocation!, 'utf8')) as {
      session: { id: string; source: string };
      messages: { text: string }[];
    };
    expect(conversation.session).toMatchObject({ id: run.sessionId, source: 'codex' });
    expect(conversation.messages.map((m) => m.text)).toEqual(['Use 16 data loader workers.']);
    const sessions = await agentlog(machine, ['sessions', 'list', '--json']);
    expect((JSON.parse(sessions.stdout) as { sessions: { id: string }[] }).sessions.map((s) => s.id)).toEqual(
      [run.sessionId],
    );
  });

  it('captures a Gemini CLI session recognised by the project hash', async () => {
    const machine = makeMachine(tempDir());
    writeGeminiChat(machine, machine.project);
    const result = await agentlog(machine, ['run', '--cwd', machine.project, '--', 'true']);
    expect(result.stderr).toMatch(new RegExp(`conversation gemini ${geminiSession} \\(1 message\\)`));
    const { run } = await showRun(machine, chainIdOf(result.stderr));
    const conversation = JSON.parse(readFileSync(run.conversationLocation!, 'utf8')) as {
      messages: { text: string }[];
    };
    expect(conversation.messages.map((m) => m.text)).toEqual(['Train on 4 GPUs.']);
  });
});
