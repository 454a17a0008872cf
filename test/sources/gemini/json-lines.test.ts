import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/domain/message.ts';
import { runCli } from '../../support/run-cli.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import {
  copyFixture,
  geminiFixtures,
  hasRaw,
  importGemini,
  messagesOf,
  sessionByExternalId,
  withStore,
} from './imported-store.ts';

const tempDir = useTempDirs();

const main = 'c0ffee01-5e55-4a1d-9b0b-000000000001';
const sub = '5ab0a6e1-7c3d-4e2f-8a9b-000000000002';
const chats = join('my-project', 'chats');
const mainFile = join(chats, 'session-2026-05-02T09-15-c0ffee01.jsonl');
const subFile = join(chats, main, `${sub}.jsonl`);
const id = (n: number) => `a0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const byId = (messages: Message[], n: number) => messages.find((m) => m.externalId === id(n))!;

function completeLines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').slice(0, -1);
}

describe('gemini JSON Lines chats', () => {
  const tmp = join(geminiFixtures, 'tmp');

  it('keeps the last copy of each message, marks rewound ones and links the sub-agent', async () => {
    const data = tempDir();
    const summary = await importGemini(data, [tmp]);
    expect(summary).toMatchObject({ files: 3, filesSkipped: 0, sessions: 2, messages: 12, newMessages: 12 });
    expect(summary.skippedLines).toEqual([
      { file: join(tmp, mainFile), line: 19, reason: expect.stringContaining('incomplete last line') },
    ]);

    await withStore(data, async (agentlog) => {
      const session = await sessionByExternalId(agentlog, main);
      expect(session).toMatchObject({
        title: 'Count lines in TypeScript files',
        models: ['gemini-2.5-pro'],
        startedAt: Date.parse('2026-05-02T09:15:00.000Z'),
        endedAt: Date.parse('2026-05-02T09:16:04.000Z'),
        agentVersion: null,
        cwd: null,
        parentSessionId: null,
        meta: { kind: 'main', projectDir: 'my-project' },
      });
      const messages = await messagesOf(agentlog, main);
      expect(messages.map((m) => m.externalId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map(id));

      expect(byId(messages, 1)).toMatchObject({ role: 'user', kind: 'meta' });
      const tool = byId(messages, 3);
      expect(tool.blocks.map((b) => b.type)).toEqual(['thinking', 'tool_use', 'tool_result']);
      expect(tool.blocks[2]).toEqual({
        type: 'tool_result',
        toolUseId: 'glob-1777713305000-aa11',
        content: '/home/dev/my-project/src/a.ts\n/home/dev/my-project/src/b.ts',
        isError: false,
      });
      expect(tool.usage).toEqual({
        inputTokens: 1200,
        outputTokens: 155,
        cacheCreationTokens: 0,
        cacheReadTokens: 3000,
      });

      const cancelled = byId(messages, 6);
      expect(cancelled.blocks.at(-1)).toMatchObject({ type: 'tool_result', isError: true });
      expect(cancelled.meta.toolStatus).toEqual({ 'run_shell_command-1777713330000-bb22': 'cancelled' });
      expect(byId(messages, 7)).toMatchObject({ role: 'system', kind: 'event', meta: { level: 'info' } });

      const rewound = messages.filter((m) => m.meta.rewound === true).map((m) => m.externalId);
      expect(rewound).toEqual([5, 6, 7].map(id));
      expect(byId(messages, 8).parentExternalId).toBe(id(4));
      expect(byId(messages, 2).parentExternalId).toBe(id(1));

      const child = await sessionByExternalId(agentlog, sub);
      expect(child).toMatchObject({
        parentSessionId: session.id,
        title: 'Find every import of src/b.ts.',
        models: ['gemini-2.5-flash'],
        meta: { kind: 'subagent', directories: ['/home/dev/my-project'] },
      });
      expect(await messagesOf(agentlog, sub)).toHaveLength(3);

      // Every complete line is kept raw, copies and metadata records included.
      for (const file of [mainFile, subFile])
        for (const line of completeLines(join(tmp, file))) expect(await hasRaw(agentlog, line)).toBe(true);
    });
  });

  it('counts one usage row per Gemini message, rewound responses included', async () => {
    const data = tempDir();
    await importGemini(data, [tmp]);
    const result = await runCli(['--data-dir', data, 'stats', 'usage', '--by', 'session', '--json']);
    const report = JSON.parse(result.stdout);
    expect(report.totals).toEqual({
      inputTokens: 3260,
      outputTokens: 324,
      cacheCreationTokens: 0,
      cacheReadTokens: 16400,
      totalTokens: 19984,
    });
    expect(report.rows.map((r: { responses: number }) => r.responses).sort()).toEqual([2, 4]);
  });

  it('keeps logs.json entries raw without making messages of them', async () => {
    const data = tempDir();
    await importGemini(data, [join(tmp, 'my-project', 'logs.json')]);
    const entries = JSON.parse(readFileSync(join(tmp, 'my-project', 'logs.json'), 'utf8')) as unknown[];
    await withStore(data, async (agentlog) => {
      for (const entry of entries) expect(await hasRaw(agentlog, JSON.stringify(entry))).toBe(true);
      expect(await agentlog.store.counts(agentlog.project.id)).toMatchObject({ sessions: 0, messages: 0 });
    });
  });

  it('adds nothing on a second run, and reads a torn last line once it is complete', async () => {
    const data = tempDir();
    const root = copyFixture('tmp', join(tempDir(), 'tmp'));
    await importGemini(data, [root]);
    expect(await importGemini(data, [root])).toMatchObject({ filesUnchanged: 3, newMessages: 0 });

    appendFileSync(join(root, mainFile), 'er","content":[{"text":"Thanks!"}]}\n');
    const again = await importGemini(data, [root]);
    expect(again).toMatchObject({ filesUnchanged: 2, messages: 1, newMessages: 1, skippedLines: [] });
    await withStore(data, async (agentlog) => {
      const last = (await messagesOf(agentlog, main)).at(-1)!;
      expect(last).toMatchObject({ externalId: id(10), text: 'Thanks!', parentExternalId: id(9) });
    });
  });

  it('marks rewound messages when the rewind arrives after an import stopped (the file is replayed)', async () => {
    const data = tempDir();
    const root = tempDir();
    const lines = completeLines(join(tmp, mainFile));
    const rewindAt = lines.findIndex((l) => l.startsWith('{"$rewindTo"'));
    const file = join(root, mainFile);
    mkdirSync(join(root, chats), { recursive: true });
    writeFileSync(
      file,
      lines
        .slice(0, rewindAt)
        .map((l) => `${l}\n`)
        .join(''),
    );
    await importGemini(data, [root]);
    await withStore(data, async (agentlog) => {
      expect((await messagesOf(agentlog, main)).some((m) => m.meta.rewound === true)).toBe(false);
    });

    appendFileSync(
      file,
      lines
        .slice(rewindAt)
        .map((l) => `${l}\n`)
        .join(''),
    );
    expect(await importGemini(data, [root])).toMatchObject({ newMessages: 2, skippedLines: [] });
    await withStore(data, async (agentlog) => {
      const messages = await messagesOf(agentlog, main);
      expect(messages.filter((m) => m.meta.rewound === true).map((m) => m.externalId)).toEqual(
        [5, 6, 7].map(id),
      );
      expect(byId(messages, 8).parentExternalId).toBe(id(4));
    });
  });

  it('finds the chats under GEMINI_CLI_HOME, else under ~/.gemini/tmp', async () => {
    for (const variable of ['GEMINI_CLI_HOME', 'HOME']) {
      const home = tempDir();
      copyFixture('tmp', join(home, '.gemini', 'tmp'));
      const env = variable === 'HOME' ? { HOME: home } : { HOME: tempDir(), GEMINI_CLI_HOME: home };
      const result = await runCli(['--data-dir', tempDir(), 'import', 'gemini', '--json'], env);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ files: 3, newMessages: 12 });
    }
  });
});
