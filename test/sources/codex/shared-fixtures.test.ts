import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../../src/domain/blocks.ts';
import type { ImportSummary } from '../../../src/ingest/import-run.ts';
import { hasSharedFixtures, sharedSkipReason, sharedTranscripts } from '../../support/shared-fixtures.ts';
import {
  countBy,
  importCodex,
  messagesOf,
  rawLinesKept,
  sessionOf,
  usageBySession,
  withStore,
} from './imported-store.ts';

const codexHome = join(sharedTranscripts, 'codex');
const day = join(codexHome, 'sessions', '2026', '05', '11');
const tui = '019e1625-789d-76c0-80ab-3724b5ddb799';
const desktop = '019e1695-0522-7c83-8b39-0dd379793f80';
const tuiFile = join(day, `rollout-2026-05-11T11-26-55-${tui}.jsonl`);

describe.skipIf(!hasSharedFixtures)(
  `Codex: the shared real rollouts${hasSharedFixtures ? '' : ` (skipped: ${sharedSkipReason})`}`,
  () => {
    let dataDir: string;
    let summary: ImportSummary;
    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'agentlog-codex-shared-'));
      summary = await importCodex(dataDir, [codexHome]);
    });
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('imports both rollouts as two sessions without skipping a line', () => {
      expect(summary).toMatchObject({
        files: 2,
        filesSkipped: 0,
        sessions: 2,
        skippedLines: [],
        skippedFiles: [],
      });
      expect(summary.newMessages).toBe(summary.messages);
      expect(summary.messages).toBe(249 + 98);
    });

    it('reads the TUI rollout: session metadata, model from turn_context, roles and kinds', async () => {
      await withStore(dataDir, async (agentlog) => {
        const session = await sessionOf(agentlog, tui);
        expect(session).toMatchObject({
          title: 'show tools',
          cwd: '/Users/Sample_User/repos/codemie-ai/codemie-code',
          gitBranch: 'feat/codex-agent-plugin',
          agentVersion: '0.125.0',
          models: ['gpt-5.5'],
          messageCount: 249,
        });
        expect(session.meta).toMatchObject({ originator: 'codex-tui', source: 'cli' });
        const messages = await messagesOf(agentlog, tui);
        // 13 replies, 25 reasoning items, 99 function calls, 3 apply_patch calls, 3 web searches.
        expect(countBy(messages, (m) => `${m.role}/${m.kind}`)).toEqual({
          'system/meta': 1,
          'user/meta': 1,
          'user/message': 2,
          'assistant/message': 143,
          'tool/tool_result': 102,
        });
        // Each prompt and reply is stored once, though Codex wrote it twice (event and item).
        const prompts = messages.filter((m) => m.role === 'user' && m.kind === 'message').map((m) => m.text);
        expect(prompts).toEqual(['show tools', "let's update the defailt context compart to 90 in env var"]);
        const replies = messages.filter((m) => m.role === 'assistant' && m.text.length > 0);
        expect(replies).toHaveLength(13);
        expect(new Set(replies.map((m) => m.text)).size).toBe(13);
        expect(replies.every((m) => m.model === 'gpt-5.5')).toBe(true);
        expect(messages.find((m) => m.kind === 'meta' && m.role === 'user')?.text).toMatch(
          /^# AGENTS\.md instructions/,
        );
        // Encrypted reasoning stays opaque.
        const thinking = messages.flatMap((m) => m.blocks).filter((b) => b.type === 'thinking');
        expect(thinking).toHaveLength(25);
        expect(thinking.every((b) => b.type === 'thinking' && b.redacted === true && b.thinking === '')).toBe(
          true,
        );
      });
    });

    it('links every tool call to its output; JSON arguments are parsed, apply_patch input stays text', async () => {
      await withStore(dataDir, async (agentlog) => {
        const blocks = (await messagesOf(agentlog, tui)).flatMap((m) => m.blocks);
        const uses = blocks.filter((b): b is Extract<Block, { type: 'tool_use' }> => b.type === 'tool_use');
        const results = blocks.filter(
          (b): b is Extract<Block, { type: 'tool_result' }> => b.type === 'tool_result',
        );
        expect(uses).toHaveLength(105);
        expect(results).toHaveLength(102);
        const useIds = new Set(uses.map((u) => u.id));
        expect(results.every((r) => useIds.has(r.toolUseId))).toBe(true);
        expect(countBy(uses, (u) => u.name)).toMatchObject({ apply_patch: 3, web_search: 3 });
        const exec = uses.find((u) => u.name === 'exec_command');
        expect(exec?.input).toMatchObject({ cmd: expect.stringContaining('SKILL.md') });
        const patch = uses.find((u) => u.name === 'apply_patch');
        expect(patch?.input).toEqual(expect.stringMatching(/^\*\*\* Begin Patch/));
        // apply_patch answers with a JSON string {output, metadata}: stored as its text.
        const patched = results.filter((r) =>
          uses.some((u) => u.id === r.toolUseId && u.name === 'apply_patch'),
        );
        expect(patched.map((r) => [r.isError, r.content])).toEqual(
          Array(3).fill([false, expect.stringMatching(/^Success\. Updated the following files:\nM /)]),
        );
      });
    });

    it('sums per-response usage to the totals ccusage reports (codex daily --offline)', async () => {
      await withStore(dataDir, async (agentlog) => {
        const session = await sessionOf(agentlog, tui);
        const usage = (await usageBySession(agentlog)).get(session.id);
        // ccusage 20.0.24: inputTokens 1126300, cacheReadTokens 4929536, outputTokens 9118, total 6064954.
        expect(usage).toMatchObject({
          inputTokens: 1_126_300,
          cacheReadTokens: 4_929_536,
          outputTokens: 9_118,
          cacheCreationTokens: 0,
          responses: 66,
        });
      });
    });

    it('keeps the Codex Desktop prompts, which exist only as events', async () => {
      await withStore(dataDir, async (agentlog) => {
        const session = await sessionOf(agentlog, desktop);
        expect(session).toMatchObject({ cwd: '/Users/Sample_User/naya', agentVersion: '0.128.0-alpha.1' });
        expect(session.meta).toMatchObject({ originator: 'Codex Desktop', source: 'vscode' });
        // The title is the request, not the list of attached files Codex Desktop puts first.
        expect(session.title).toMatch(/^analyze trascript and summarzie action items/);
        const messages = await messagesOf(agentlog, desktop);
        expect(countBy(messages, (m) => `${m.role}/${m.kind}`)).toEqual({
          'user/message': 3,
          'assistant/message': 57,
          'tool/tool_result': 38,
        });
        expect(messages.filter((m) => m.role === 'user').every((m) => m.meta.record === 'event_msg')).toBe(
          true,
        );
        // No turn_context and no token_count in this file: no model, no usage.
        expect(session.models).toEqual([]);
        expect((await usageBySession(agentlog)).get(session.id)).toBeUndefined();
      });
    });

    it('keeps every line raw and adds nothing on a second import', async () => {
      await withStore(dataDir, async (agentlog) => expect(await rawLinesKept(agentlog, tuiFile)).toBe(386));
      const again = await importCodex(dataDir, [codexHome]);
      expect(again).toMatchObject({ files: 2, filesUnchanged: 2, newMessages: 0 });
    });
  },
);
