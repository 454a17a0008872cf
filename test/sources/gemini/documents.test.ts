import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.ts';
import { hasSharedFixtures, sharedSkipReason, sharedTranscripts } from '../../support/shared-fixtures.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import {
  geminiFixtures,
  hasRaw,
  importGemini,
  messagesOf,
  sessionByExternalId,
  withStore,
} from './imported-store.ts';

const tempDir = useTempDirs();

const session = '1e9ac700-0000-4000-8000-00000000000f';
const id = (n: number) => `b0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const v1 = readFileSync(join(geminiFixtures, 'legacy', 'session-v1.json'), 'utf8');
const v2 = readFileSync(join(geminiFixtures, 'legacy', 'session-v2.json'), 'utf8');

/** A chats folder laid out as Gemini CLI lays it out, and the path of the legacy chat in it. */
function legacyChat(): { root: string; file: string } {
  const root = tempDir();
  const chats = join(root, 'tmp', '2136a2490b0bdc8f', 'chats');
  mkdirSync(chats, { recursive: true });
  return { root, file: join(chats, 'session-2025-11-24T16-00-1e9ac700.json') };
}

describe('gemini legacy JSON chats', () => {
  it('re-reads a rewritten chat: new messages added, changed ones revised, nothing repeated', async () => {
    const data = tempDir();
    const { root, file } = legacyChat();
    writeFileSync(file, v1);
    expect(await importGemini(data, [root])).toMatchObject({ files: 1, messages: 4, newMessages: 4 });
    await withStore(data, async (agentlog) => {
      const call = (await messagesOf(agentlog, session))[3]!;
      expect(call.blocks.map((b) => b.type)).toEqual(['tool_use']);
    });

    writeFileSync(file, v2);
    expect(await importGemini(data, [root])).toMatchObject({
      filesUnchanged: 0,
      messages: 5,
      newMessages: 1,
    });
    await withStore(data, async (agentlog) => {
      const messages = await messagesOf(agentlog, session);
      expect(messages.map((m) => m.externalId)).toEqual([1, 2, 3, 4, 5].map(id));
      expect(messages[3]!.blocks.map((b) => b.type)).toEqual(['tool_use', 'tool_result']);
      expect(messages[3]!.blocks[1]).toMatchObject({ content: '# Legacy app\nA small app that says hello.' });
      expect(messages[1]!.blocks[0]).toEqual({ type: 'thinking', thinking: 'Greeting\nThe user said hi.' });
      expect(await sessionByExternalId(agentlog, session)).toMatchObject({
        title: 'Summarise the README',
        messageCount: 5,
        endedAt: Date.parse('2025-11-24T16:00:15.000Z'),
      });
      // The first version's record stays raw beside the new one.
      const old = (JSON.parse(v1) as { messages: unknown[] }).messages[3];
      expect(await hasRaw(agentlog, JSON.stringify(old))).toBe(true);
    });
    expect(await importGemini(data, [root])).toMatchObject({ filesUnchanged: 1, newMessages: 0 });
  });

  it('reports a half-written chat and imports it on the next run', async () => {
    const data = tempDir();
    const { root, file } = legacyChat();
    writeFileSync(file, v2.slice(0, Math.floor(v2.length / 2)));
    const first = await importGemini(data, [root]);
    expect(first).toMatchObject({ filesSkipped: 1, newMessages: 0 });
    expect(first.skippedFiles).toEqual([{ file, reason: expect.stringContaining('invalid JSON') }]);

    writeFileSync(file, v2);
    expect(await importGemini(data, [root])).toMatchObject({ filesSkipped: 0, newMessages: 5 });
  });

  it('recognises a chat whose start is longer than the detection head', async () => {
    const data = tempDir();
    const { root, file } = legacyChat();
    const doc = JSON.parse(v2) as { summary?: string; messages: { content: unknown }[] };
    doc.summary = 'x'.repeat(100_000);
    writeFileSync(file, JSON.stringify(doc, null, 2));
    expect(await importGemini(data, [root])).toMatchObject({ filesSkipped: 0, newMessages: 5 });
  });

  it('adds nothing twice when a resumed legacy chat is migrated to JSON Lines', async () => {
    const data = tempDir();
    const { root, file } = legacyChat();
    writeFileSync(file, v2);
    const { messages, ...header } = JSON.parse(v2) as { messages: unknown[] };
    const next = {
      id: id(6),
      timestamp: '2025-11-25T09:00:00.000Z',
      type: 'user',
      content: [{ text: 'thanks' }],
    };
    const lines = [header, ...messages, { $set: { sessionId: session } }, next];
    writeFileSync(`${file}l`, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    expect(await importGemini(data, [root])).toMatchObject({ files: 2, newMessages: 6 });
    await withStore(data, async (agentlog) => {
      const all = await messagesOf(agentlog, session);
      expect(all.map((m) => m.externalId)).toEqual([1, 2, 3, 4, 5, 6].map(id));
      expect(all[5]!.parentExternalId).toBe(id(5));
    });
  });
});

describe.skipIf(!hasSharedFixtures)(
  `gemini on the shared fixtures${hasSharedFixtures ? '' : ` (skipped: ${sharedSkipReason})`}`,
  () => {
    const tmp = join(sharedTranscripts, 'gemini', 'tmp');

    it('imports the real chats and logs.json, and a second run adds nothing', async () => {
      const data = tempDir();
      const first = await importGemini(data, [tmp]);
      expect(first).toMatchObject({ files: 3, filesSkipped: 0, sessions: 2, messages: 28, newMessages: 28 });
      expect(first.skippedLines).toEqual([]);
      expect(await importGemini(data, [tmp])).toMatchObject({ filesUnchanged: 3, newMessages: 0 });
      await withStore(data, async (agentlog) => {
        const messages = await messagesOf(agentlog, '5b959dae-8655-4cd1-b10f-720b8c336ea2');
        expect(messages).toHaveLength(14);
        const results = messages.flatMap((m) => m.blocks).filter((b) => b.type === 'tool_result');
        const uses = messages.flatMap((m) => m.blocks).filter((b) => b.type === 'tool_use');
        expect(results.length).toBe(uses.length);
        expect(results.length).toBeGreaterThan(0);
      });
    });

    it('counts tokens as ccusage does: the same input, cache and total, output with thinking', async () => {
      // `ccusage gemini daily --json --offline` on these files: input 70,393, cache read
      // 118,655, output 4,175 (without the 4,407 thinking tokens), total 197,630.
      const data = tempDir();
      await importGemini(data, [tmp]);
      const report = JSON.parse((await runCli(['--data-dir', data, 'stats', 'usage', '--json'])).stdout);
      expect(report.totals).toEqual({
        inputTokens: 70_393,
        outputTokens: 4_175 + 4_407,
        cacheCreationTokens: 0,
        cacheReadTokens: 118_655,
        totalTokens: 197_630,
      });
      expect(report.rows.map((r: { key: string; totalTokens: number }) => [r.key, r.totalTokens])).toEqual([
        ['2025-12-01', 105_857],
        ['2026-01-16', 91_773],
      ]);
    });
  },
);
