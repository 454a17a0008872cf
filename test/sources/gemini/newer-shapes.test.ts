import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/domain/message.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import {
  geminiFixtures,
  importGemini,
  messagesOf,
  sessionByExternalId,
  withStore,
} from './imported-store.ts';

// JSON Lines chats in shapes the other fixtures do not show (notes §3.2): a header line that
// carries the messages of a migrated chat, a compression checkpoint (`$set.messages` led by a
// `<state_snapshot>` summary), an error record and a message type Gemini may add later. (A header
// with an empty `messages` list is in detect.test.ts: as a file it would also look like OpenAI
// chat JSONL to that format's detector, which import auto settles by registry order.)
const tempDir = useTempDirs();
const chats = join(geminiFixtures, 'newer', 'tmp', 'notes-app', 'chats');
const compressed = 'c0ffee03-5e55-4a1d-9b0b-000000000003';
const migrated = 'c0ffee04-5e55-4a1d-9b0b-000000000004';
const id = (n: number) => `b0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const shape = (m: Message) => [m.externalId, m.role, m.kind, m.parentExternalId];

describe('gemini JSON Lines chats: newer shapes', () => {
  it('keeps a compression summary apart from the prompts; an error is an API error', async () => {
    const data = tempDir();
    const summary = await importGemini(data, [chats]);
    expect(summary).toMatchObject({ files: 2, filesSkipped: 0, sessions: 2, skippedLines: [] });
    await withStore(data, async (agentlog) => {
      const session = await sessionByExternalId(agentlog, compressed);
      expect(session).toMatchObject({ title: 'Summarise README.md', models: ['gemini-3-pro'] });
      const messages = await messagesOf(agentlog, compressed);
      expect(messages.map(shape)).toEqual([
        [id(1), 'user', 'message', null],
        [id(2), 'assistant', 'message', id(1)],
        [id(3), 'user', 'message', id(2)],
        [id(4), 'assistant', 'message', id(3)],
        // New in the checkpoint: the summary and the model's acknowledgement.
        [id(5), 'user', 'compact_summary', null],
        [id(6), 'assistant', 'message', id(5)],
        // After the checkpoint the conversation goes on from its last message.
        [id(7), 'user', 'message', id(4)],
        // A type Gemini may add later is kept as a notice with its level.
        [id(8), 'system', 'event', id(7)],
        // A failed model call: an API error, as other sources store theirs.
        [id(9), 'system', 'api_error', id(8)],
      ]);
      expect(messages[4]!.text).toMatch(/^<state_snapshot>/);
      expect(messages[7]).toMatchObject({ text: 'Checkpoint saved.', meta: { level: 'notice' } });
      expect(messages[8]).toMatchObject({
        text: expect.stringMatching(/^\[API Error/),
        meta: { level: 'error' },
      });
    });
  });

  it('takes the messages a header line carries (a migrated chat) and those after it', async () => {
    const data = tempDir();
    await importGemini(data, [chats]);
    await withStore(data, async (agentlog) => {
      const messages = await messagesOf(agentlog, migrated);
      expect(messages.map(shape)).toEqual([
        [id(0x11), 'user', 'message', null],
        [id(0x12), 'assistant', 'message', id(0x11)],
        [id(0x13), 'user', 'message', id(0x12)],
      ]);
      expect(messages[1]!.usage).toMatchObject({ inputTokens: 900, outputTokens: 9 });
      expect(await sessionByExternalId(agentlog, migrated)).toMatchObject({
        title: 'What does src/sync.ts do?',
        models: ['gemini-2.5-pro'],
      });
    });
  });
});
