import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/domain/message.ts';
import { ownFixtures } from '../../support/shared-fixtures.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import {
  hasRaw,
  importWith,
  messagesOf,
  sessionByExternalId,
  sessionsOf,
  withStore,
} from '../chat-imports.ts';

const tempDir = useTempDirs();
const fixtures = join(ownFixtures, 'chatgpt');
const exportFile = join(fixtures, 'export', 'conversations.json');
const node = (prefix: string, n: number) =>
  `${prefix}-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`;
const haiku = (n: number) => node('0a1b2c3d', n);
const chart = (n: number) => node('0b1b2c3d', n);
const byId = (messages: Message[]) => new Map(messages.map((m) => [m.externalId, m]));

describe('chatgpt export', () => {
  it('keeps every branch of an edited and regenerated conversation, marking the canonical thread', async () => {
    const data = tempDir();
    const summary = await importWith(data, 'chatgpt', [exportFile]);
    expect(summary).toMatchObject({ files: 1, sessions: 2, messages: 14, newMessages: 14, skippedLines: [] });
    await withStore(data, async (agentlog) => {
      const session = await sessionByExternalId(agentlog, '6790a1b2-0000-4000-8000-000000000001');
      expect(session).toMatchObject({
        source: 'chatgpt',
        title: 'Haiku about weather',
        startedAt: Date.parse('2026-01-01T00:00:00Z'),
        endedAt: Date.parse('2026-01-01T00:02:00Z'),
        messageCount: 6,
      });
      expect([...session.models].sort()).toEqual(['gpt-4o', 'gpt-4o-mini']);
      const messages = byId(await messagesOf(agentlog, session));
      const parents = Object.fromEntries([...messages].map(([id, m]) => [id, m.parentExternalId]));
      // The root node holds no message: the first message has no parent.
      expect(parents).toEqual({
        [haiku(1)]: null,
        [haiku(2)]: haiku(1),
        [haiku(3)]: haiku(2),
        [haiku(4)]: haiku(1),
        [haiku(5)]: haiku(4),
        [haiku(6)]: haiku(4),
      });
      const canonical = [...messages].filter(([, m]) => m.meta.canonical === true).map(([id]) => id);
      expect(canonical.sort()).toEqual([haiku(1), haiku(4), haiku(6)]);
      expect(messages.get(haiku(3))!.meta.canonical).toBe(false);
      expect(messages.get(haiku(1))).toMatchObject({ role: 'system', kind: 'meta', meta: { hidden: true } });
      expect(messages.get(haiku(6))).toMatchObject({
        role: 'assistant',
        model: 'gpt-4o-mini',
        timestamp: Date.parse('2026-01-01T00:01:30Z'),
        text: expect.stringContaining('Snow falls without sound'),
      });
    });
  });

  it('reads tool calls and results, multimodal parts, thoughts and hidden context', async () => {
    const data = tempDir();
    await importWith(data, 'chatgpt', [exportFile]);
    await withStore(data, async (agentlog) => {
      const session = await sessionByExternalId(agentlog, '6790a1b2-0000-4000-8000-000000000002');
      const messages = byId(await messagesOf(agentlog, session));
      expect(messages.get(chart(2))).toMatchObject({
        role: 'user',
        kind: 'meta',
        text: 'I am a data analyst.\nAnswer briefly.',
      });
      const photo = messages.get(chart(3))!;
      expect(photo.blocks).toEqual([
        { type: 'image', mediaType: 'application/octet-stream', size: 48213, sha256: null },
        { type: 'text', text: 'What is the sum of the numbers in this table?' },
      ]);
      expect(photo.meta.assets).toEqual([
        expect.objectContaining({ asset_pointer: 'file-service://file-Ab12Cd34Ef56', width: 800 }),
      ]);
      expect(messages.get(chart(4))!.blocks).toEqual([
        { type: 'thinking', thinking: 'Reading the table\n\nThe image shows three numbers: 4, 8 and 15.' },
      ]);
      expect(messages.get(chart(5))).toMatchObject({ kind: 'event', text: 'Thought for 4 seconds' });
      expect(messages.get(chart(6))).toMatchObject({
        role: 'assistant',
        meta: { recipient: 'python', contentType: 'code' },
        blocks: [{ type: 'tool_use', id: chart(6), name: 'python', input: { code: 'print(4 + 8 + 15)' } }],
      });
      expect(messages.get(chart(7))).toMatchObject({
        role: 'tool',
        kind: 'tool_result',
        speaker: { name: 'python', role: 'tool' },
        blocks: [{ type: 'tool_result', toolUseId: chart(6), content: [{ type: 'text', text: '27' }] }],
      });
      expect(messages.get(chart(8))).toMatchObject({ model: 'o3', text: 'The numbers add up to **27**.' });
    });
  });

  it('reads every part of a split export, one line each, and titles untitled chats by their first prompt', async () => {
    const data = tempDir();
    const summary = await importWith(data, 'chatgpt', [join(fixtures, 'split')]);
    expect(summary).toMatchObject({ files: 2, sessions: 2, messages: 4, newMessages: 4, skippedFiles: [] });
    await withStore(data, async (agentlog) => {
      const titles = (await sessionsOf(agentlog, 'chatgpt')).map((s) => s.title);
      expect(titles).toEqual(['First part', 'Untitled chat in part one']);
    });
  });

  it('adds nothing when the same conversations come again, and only the new node of a grown one', async () => {
    const data = tempDir();
    const dir = tempDir();
    const file = join(dir, 'conversations.json');
    cpSync(exportFile, file);
    await importWith(data, 'chatgpt', [dir]);
    expect(await importWith(data, 'chatgpt', [dir])).toMatchObject({ filesUnchanged: 1, newMessages: 0 });

    // A later export: the same conversations, one of them with one more message.
    const later = JSON.parse(readFileSync(exportFile, 'utf8')) as {
      mapping: Record<string, { children: string[] }>;
      current_node: string;
    }[];
    const conversation = later[0]!;
    const reply = haiku(7);
    conversation.mapping[haiku(6)]!.children.push(reply);
    conversation.mapping[reply] = {
      id: reply,
      parent: haiku(6),
      children: [],
      message: {
        id: reply,
        author: { role: 'user' },
        create_time: 1767225800,
        content: { content_type: 'text', parts: ['Lovely, thanks'] },
      },
    } as unknown as { children: string[] };
    conversation.current_node = reply;
    writeFileSync(file, JSON.stringify(later));
    expect(await importWith(data, 'chatgpt', [dir])).toMatchObject({ messages: 15, newMessages: 1 });
    await withStore(data, async (agentlog) => {
      const session = await sessionByExternalId(agentlog, '6790a1b2-0000-4000-8000-000000000001');
      expect((await messagesOf(agentlog, session)).at(-1)).toMatchObject({
        externalId: reply,
        parentExternalId: haiku(6),
        text: 'Lovely, thanks',
      });
    });
  });

  it('reports a broken node or conversation with its position and id, and keeps everything around it', async () => {
    const data = tempDir();
    const file = join(fixtures, 'broken', 'conversations.json');
    const summary = await importWith(data, 'chatgpt', [file]);
    const at = (n: number) => `conversation 6790a1b2-0000-4000-8000-000000000005 node ${node('0e1b2c3d', n)}`;
    expect(summary.skippedLines).toEqual([
      { file, line: 1, reason: `${at(2)}: message.content.parts: expected an array, got string` },
      { file, line: 1, reason: `${at(3)}: message.author.role: unknown role "critic"` },
      { file, line: 2, reason: 'conversation: expected an object, got string' },
      { file, line: 3, reason: 'conversation: no "conversation_id" or "id"' },
    ]);
    expect(summary).toMatchObject({ sessions: 2, messages: 3 });
    await withStore(data, async (agentlog) => {
      const partly = await sessionByExternalId(agentlog, '6790a1b2-0000-4000-8000-000000000005');
      expect((await messagesOf(agentlog, partly)).map((m) => m.text)).toEqual([
        'First question',
        'Still answered.',
      ]);
      const fine = await sessionByExternalId(agentlog, '6790a1b2-0000-4000-8000-000000000006');
      expect(fine.messageCount).toBe(1);
      // The broken node is still kept raw.
      const broken = JSON.parse(readFileSync(file, 'utf8'))[0].mapping[node('0e1b2c3d', 3)];
      expect(await hasRaw(agentlog, 'chatgpt', JSON.stringify(broken))).toBe(true);
    });
  });
});
