import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../../src/domain/session.ts';
import { detectFormat } from '../../../src/sources/auto/detect-format.ts';
import { sourceFormats } from '../../../src/sources/registry.ts';
import { ownFixtures } from '../../support/shared-fixtures.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { importWith, messagesOf, sessionsOf, withStore } from '../chat-imports.ts';

const tempDir = useTempDirs();
const preference = join(ownFixtures, 'openai-chat', 'preference.jsonl');
const dataset = join(ownFixtures, 'openai-chat', 'dataset.json');
const batch = join(ownFixtures, 'openai-chat', 'batch-input.jsonl');
const at = (sessions: Session[], file: string, position: number) =>
  sessions.find((s) => s.externalId.startsWith(`${file}:${position}:`))!;

describe('OpenAI preference fine-tuning lines (input, preferred_output, non_preferred_output)', () => {
  it('are found by import auto and read as one thread with the rejected answer as a branch', async () => {
    const data = tempDir();
    const summary = await importWith(data, 'auto', [preference]);
    expect(summary.detected).toEqual({ 'openai-chat': 1 });
    expect(summary.skippedLines).toEqual([
      {
        file: preference,
        line: 3,
        reason: 'preferred_output: expected an array of messages, got object',
      },
    ]);
    expect(summary).toMatchObject({ sessions: 2, messages: 7 });
    await withStore(data, async (agentlog) => {
      const sessions = await sessionsOf(agentlog, 'openai-chat');
      const tomato = at(sessions, 'preference.jsonl', 1);
      expect(tomato).toMatchObject({
        title: 'Is a tomato a fruit?',
        meta: { preference: true, tools: [], parallelToolCalls: true },
      });
      const messages = await messagesOf(agentlog, tomato);
      expect(messages.map((m) => [m.role, m.text, m.meta.preference])).toEqual([
        ['system', 'Reply in one sentence.', undefined],
        ['user', 'Is a tomato a fruit?', undefined],
        ['assistant', 'Botanically yes: it grows from a flower and holds seeds.', 'preferred'],
        ['assistant', 'No, it is a vegetable.', 'non_preferred'],
      ]);
      // Both answers reply to the same user message: siblings, not a reply to each other.
      expect(messages.map((m) => m.meta.canonical)).toEqual([undefined, undefined, true, false]);
      expect(messages[2]!.parentExternalId).toBe(messages[1]!.externalId);
      expect(messages[3]!.parentExternalId).toBe(messages[1]!.externalId);

      const quito = await messagesOf(agentlog, at(sessions, 'preference.jsonl', 2));
      expect(at(sessions, 'preference.jsonl', 2).meta).toMatchObject({ tools: ['lookup_temperature'] });
      expect(quito[1]!.blocks).toEqual([
        { type: 'tool_use', id: 'call_quito', name: 'lookup_temperature', input: { city: 'Quito' } },
      ]);
    });
  });
});

describe('OpenAI chat conversations saved as one JSON array', () => {
  it('are found by import auto (CRLF line ends) and read like lines', async () => {
    const data = tempDir();
    const summary = await importWith(data, 'auto', [dataset]);
    expect(summary.detected).toEqual({ 'openai-chat': 1 });
    expect(summary).toMatchObject({ sessions: 2, messages: 5, skippedLines: [] });
    await withStore(data, async (agentlog) => {
      const sessions = await sessionsOf(agentlog, 'openai-chat');
      const second = await messagesOf(agentlog, at(sessions, 'dataset.json', 2));
      expect(at(sessions, 'dataset.json', 2).title).toBe('Which label fits a login loop?');
      expect(second.map((m) => `${m.role}: ${m.text}`)).toEqual([
        'user: Which label fits a login loop?',
        'assistant: account-access',
      ]);
      expect(second[1]!.parentExternalId).toBe(second[0]!.externalId);
    });
    // Importing again adds nothing: the ids come from each conversation's place and content.
    expect(await importWith(data, 'openai', [dataset])).toMatchObject({ newMessages: 0 });
  });

  it('leaves an array of ShareGPT conversations, or of Gemini checkpoint turns, to others', () => {
    const head = (text: string) => ({ path: 'x.json', text, complete: true });
    const pick = (text: string) => {
      const match = detectFormat(head(text), sourceFormats);
      return match.format?.name ?? null;
    };
    expect(pick('[{"conversations":[{"from":"human","value":"hi"}]}]')).toBe('sharegpt');
    expect(pick('[{"role":"user","parts":[{"text":"hi"}]}]')).toBe(null);
    expect(pick('[{"messages":[{"role":"user","content":"hi"}]}]')).toBe('openai-chat');
    // An input without a preferred or rejected output is not a preference pair.
    expect(pick('[{"id":"c1","input":{"messages":[{"role":"user","content":"hi"}]},"output":{}}]')).toBe(
      null,
    );
    // Only the start of a large array: judged by its keys.
    expect(
      detectFormat(
        { path: 'x.json', text: '[{"messages": [{"role": "user", "content": "lo', complete: false },
        sourceFormats,
      ).format?.name,
    ).toBe('openai-chat');
  });
});

describe('OpenAI Batch API request files (one chat completion request a line)', () => {
  it('are found by import auto and read as conversations, with the model and custom id', async () => {
    const data = tempDir();
    const summary = await importWith(data, 'auto', [batch]);
    expect(summary.detected).toEqual({ 'openai-chat': 1 });
    expect(summary).toMatchObject({ sessions: 2, messages: 3, skippedLines: [] });
    await withStore(data, async (agentlog) => {
      const first = at(await sessionsOf(agentlog, 'openai-chat'), 'batch-input.jsonl', 1);
      expect(first).toMatchObject({
        title: 'The app crashes when I rotate my phone.',
        models: ['gpt-4o-mini'],
        meta: { customId: 'ticket-17' },
      });
      expect((await messagesOf(agentlog, first)).map((m) => m.role)).toEqual(['system', 'user']);
    });
  });
});
