import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../../src/domain/session.ts';
import { detectShareGpt } from '../../../src/sources/sharegpt/detect.ts';
import { ownFixtures } from '../../support/shared-fixtures.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { hasRaw, importWith, messagesOf, sessionsOf, withStore } from '../chat-imports.ts';

const tempDir = useTempDirs();
const fixtures = join(ownFixtures, 'sharegpt');
const at = (sessions: Session[], file: string, position: number) =>
  sessions.find((s) => s.externalId.startsWith(`${file}:${position}:`))!;

describe('sharegpt', () => {
  it('reads a JSON array and JSON Lines alike, with system prompts, tool calls and observations', async () => {
    const data = tempDir();
    const summary = await importWith(data, 'sharegpt', [
      join(fixtures, 'dataset.json'),
      join(fixtures, 'dataset.jsonl'),
    ]);
    expect(summary).toMatchObject({ files: 2, sessions: 4, messages: 12, newMessages: 12, skippedLines: [] });
    await withStore(data, async (agentlog) => {
      const sessions = await sessionsOf(agentlog, 'sharegpt');
      const support = at(sessions, 'dataset.json', 1);
      expect(support).toMatchObject({ title: 'Where is my order 1042?', meta: { tools: ['lookup_order'] } });
      const messages = await messagesOf(agentlog, support);
      expect(messages.map((m) => `${m.role}/${m.kind}`)).toEqual([
        'system/message',
        'user/message',
        'assistant/message',
        'tool/tool_result',
        'assistant/message',
      ]);
      const call = messages[2]!;
      expect(call.blocks).toEqual([
        { type: 'tool_use', id: call.externalId, name: 'lookup_order', input: { order: '1042' } },
      ]);
      expect(messages[3]!.blocks).toEqual([
        {
          type: 'tool_result',
          toolUseId: call.externalId,
          content: '{"status": "shipped", "eta": "Friday"}',
          isError: false,
        },
      ]);

      const older = await messagesOf(agentlog, at(sessions, 'dataset.json', 2));
      expect(older.map((m) => [m.role, m.meta.from])).toEqual([
        ['user', 'user'],
        ['assistant', 'assistant'],
      ]);
      expect(at(sessions, 'dataset.json', 2).meta).toMatchObject({ id: 'QWxpY2U' });

      const terse = await messagesOf(agentlog, at(sessions, 'dataset.jsonl', 1));
      expect(terse.map((m) => m.text)).toEqual(['Be terse.', 'Capital of Peru?', 'Lima.']);
      // One raw record per conversation, shared by its messages.
      const conversation = JSON.parse(readFileSync(join(fixtures, 'dataset.json'), 'utf8'))[0];
      expect(await hasRaw(agentlog, 'sharegpt', JSON.stringify(conversation))).toBe(true);
    });
  });

  it('adds nothing on a second import', async () => {
    const data = tempDir();
    await importWith(data, 'sharegpt', [fixtures]);
    const again = await importWith(data, 'sharegpt', [fixtures]);
    expect(again).toMatchObject({ files: 3, filesUnchanged: 3, newMessages: 0 });
  });

  it('reports broken lines and turns with file:line, keeping the good turns and conversations', async () => {
    const data = tempDir();
    const file = join(fixtures, 'broken.jsonl');
    const summary = await importWith(data, 'sharegpt', [file]);
    expect(summary.skippedLines).toEqual([
      { file, line: 2, reason: expect.stringMatching(/^invalid JSON/) },
      {
        file,
        line: 3,
        reason:
          'conversations[1].from: unknown speaker "narrator"; conversations[2].value: expected a string, got array',
      },
      {
        file,
        line: 4,
        reason:
          'tools: not valid JSON; the conversation is kept without it; conversations[1].value: a function_call that is not JSON',
      },
      { file, line: 5, reason: 'expected an object, got array' },
    ]);
    expect(summary).toMatchObject({ sessions: 3, messages: 5 });
    await withStore(data, async (agentlog) => {
      const third = at(await sessionsOf(agentlog, 'sharegpt'), 'broken.jsonl', 3);
      expect((await messagesOf(agentlog, third)).map((m) => m.text)).toEqual(['Who speaks next?', 'I do.']);
    });
  });

  it('detects both layouts by content and declines the OpenAI messages shape', () => {
    const head = (text: string) => ({ path: 'data', text, complete: true });
    expect(detectShareGpt(head(readFileSync(join(fixtures, 'dataset.json'), 'utf8')))).toEqual({ ok: true });
    expect(detectShareGpt(head(readFileSync(join(fixtures, 'dataset.jsonl'), 'utf8')))).toEqual({ ok: true });
    expect(detectShareGpt(head('[\n  {\n    "conversations": [\n      {\n        "from": "human"'))).toEqual({
      ok: true,
    });
    expect(detectShareGpt(head('{"messages":[{"role":"user","content":"hi"}]}\n'))).toMatchObject({
      ok: false,
    });
    expect(detectShareGpt(head('[]'))).toEqual({ ok: false, reason: 'an empty JSON array' });
  });
});
