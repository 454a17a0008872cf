import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../../src/domain/session.ts';
import { detectOpenAiChat } from '../../../src/sources/openai-chat/detect.ts';
import { ownFixtures } from '../../support/shared-fixtures.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { importWith, messagesOf, sessionsOf, withStore } from '../chat-imports.ts';

const tempDir = useTempDirs();
const chat = join(ownFixtures, 'openai-chat', 'chat.jsonl');
const onLine = (sessions: Session[], line: number) =>
  sessions.find((s) => s.externalId.startsWith(`chat.jsonl:${line}:`))!;

describe('openai chat JSONL', () => {
  it('reports a malformed line or message with file:line and keeps the rest', async () => {
    const data = tempDir();
    const summary = await importWith(data, 'openai', [chat]);
    expect(summary.skippedLines).toEqual([
      { file: chat, line: 3, reason: expect.stringMatching(/^invalid JSON/) },
      { file: chat, line: 4, reason: 'messages[1].role: unknown role "robot"' },
      { file: chat, line: 6, reason: 'messages: expected an array, got undefined' },
    ]);
    expect(summary).toMatchObject({ files: 1, sessions: 4, messages: 17, newMessages: 17 });
    await withStore(data, async (agentlog) => {
      const joke = onLine(await sessionsOf(agentlog, 'openai-chat'), 4);
      expect((await messagesOf(agentlog, joke)).map((m) => m.role)).toEqual(['user', 'assistant']);
    });
  });

  it('links tool calls to their results; arguments are parsed JSON, or kept as text when they are not', async () => {
    const data = tempDir();
    await importWith(data, 'openai', [chat]);
    await withStore(data, async (agentlog) => {
      const session = onLine(await sessionsOf(agentlog, 'openai-chat'), 1);
      expect(session).toMatchObject({
        title: "What's the weather in Oslo and Lima?",
        meta: { tools: ['get_weather'], parallelToolCalls: true },
      });
      const messages = await messagesOf(agentlog, session);
      expect(messages.map((m) => `${m.role}/${m.kind}`)).toEqual([
        'system/message',
        'user/message',
        'assistant/message',
        'tool/tool_result',
        'tool/tool_result',
        'assistant/message',
      ]);
      expect(messages[2]!.blocks).toEqual([
        { type: 'tool_use', id: 'call_oslo', name: 'get_weather', input: { city: 'Oslo' } },
        { type: 'tool_use', id: 'call_lima', name: 'get_weather', input: '{"city": "Lima"' },
      ]);
      expect(messages[4]!.blocks).toEqual([
        { type: 'tool_result', toolUseId: 'call_lima', content: '19 C, cloudy', isError: false },
      ]);
      expect(messages[5]!.meta).toEqual({ weight: 1 });
      // A linear conversation: each message is the child of the one before.
      expect(messages.slice(1).map((m) => m.parentExternalId)).toEqual(
        messages.slice(0, -1).map((m) => m.externalId),
      );

      const legacy = await messagesOf(agentlog, onLine(await sessionsOf(agentlog, 'openai-chat'), 5));
      expect(legacy[1]!.blocks).toEqual([
        { type: 'tool_use', id: legacy[1]!.externalId, name: 'add', input: { a: 2, b: 3 } },
      ]);
      expect(legacy[2]).toMatchObject({
        speaker: { name: 'add', role: 'function' },
        blocks: [{ type: 'tool_result', toolUseId: legacy[1]!.externalId, content: '5' }],
      });
    });
  });

  it('keeps developer prompts, weights and inline images (stored by their bytes)', async () => {
    const data = tempDir();
    await importWith(data, 'openai', [chat]);
    await withStore(data, async (agentlog) => {
      const messages = await messagesOf(agentlog, onLine(await sessionsOf(agentlog, 'openai-chat'), 2));
      expect(messages[0]).toMatchObject({ role: 'system', meta: { openaiRole: 'developer' } });
      const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
        'base64',
      );
      expect(messages[1]!.blocks[1]).toEqual({
        type: 'image',
        mediaType: 'image/png',
        size: png.byteLength,
        sha256: createHash('sha256').update(png).digest('hex'),
      });
      expect(messages.map((m) => m.meta.weight)).toEqual([undefined, undefined, 0, undefined, 1]);
    });
  });

  it('derives the same ids on every import: again, from a copy elsewhere, and after lines are appended', async () => {
    const data = tempDir();
    const dir = join(tempDir(), 'logs');
    mkdirSync(dir);
    cpSync(chat, join(dir, 'chat.jsonl'));
    await importWith(data, 'openai', [dir]);
    expect(await importWith(data, 'openai', [dir])).toMatchObject({ filesUnchanged: 1, newMessages: 0 });

    const copy = join(tempDir(), 'chat.jsonl');
    cpSync(chat, copy);
    expect(await importWith(data, 'openai', [copy])).toMatchObject({ messages: 17, newMessages: 0 });

    const line = {
      messages: [
        { role: 'user', content: 'One more' },
        { role: 'assistant', content: 'Sure.' },
      ],
    };
    appendFileSync(join(dir, 'chat.jsonl'), `${JSON.stringify(line)}\n`);
    expect(await importWith(data, 'openai', [dir])).toMatchObject({
      messages: 2,
      newMessages: 2,
      sessions: 1,
    });
  });
});

describe('detectOpenAiChat', () => {
  const head = (text: string, complete = true) => ({ path: 'x.jsonl', text, complete });

  it('claims chat lines, even when the first line is broken or longer than the head', () => {
    expect(detectOpenAiChat(head('{"messages":[{"role":"user","content":"hi"}]}\n'))).toEqual({ ok: true });
    expect(detectOpenAiChat(head('{"messages": [\n{"messages":[{"role":"user","content":"hi"}]}\n'))).toEqual(
      {
        ok: true,
      },
    );
    expect(detectOpenAiChat(head('{"messages": [{"role": "system", "content": "long', false))).toEqual({
      ok: true,
    });
  });

  it('declines other JSON Lines and documents', () => {
    expect(detectOpenAiChat(head('{"conversations":[{"from":"human","value":"hi"}]}\n'))).toMatchObject({
      ok: false,
    });
    expect(detectOpenAiChat(head('{"type":"user","message":{"role":"user"}}\n'))).toMatchObject({
      ok: false,
    });
    expect(detectOpenAiChat(head('{\n  "messages": []\n}\n'))).toMatchObject({ ok: false });
    expect(detectOpenAiChat(head('{"messages":[{"id":"m1","type":"user"}]}\n'))).toMatchObject({ ok: false });
    // A Gemini CLI JSON Lines chat whose header carries an empty `messages` list.
    const gemini = '{"sessionId":"s","projectHash":"h","startTime":"2026-01-01T00:00:00Z","messages":[]}\n';
    expect(detectOpenAiChat(head(gemini))).toEqual({
      ok: false,
      reason: 'a Gemini CLI chat, not an OpenAI chat log',
    });
  });
});
