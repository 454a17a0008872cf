import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agentlog } from '../../../src/agentlog.ts';
import type { Block } from '../../../src/domain/blocks.ts';
import type { Message } from '../../../src/domain/message.ts';
import type { ImportSummary } from '../../../src/ingest/import-run.ts';
import { claudeProjects, hasSharedFixtures, sharedSkipReason } from '../../support/shared-fixtures.ts';
import {
  countBy,
  fileLines,
  importClaude,
  messagesOf,
  openAgentlog,
  rawLinesKept,
  sessionByExternalId,
} from './imported-store.ts';

// The seven real Claude Code transcripts in ../shared/fixtures (see SOURCES.md there), imported
// once; each block checks what one of them must become in the store.
const codemie = '-Users-User-repo-codemie-ai-codemie-code';
const parentId = 'e9fb405b-169f-40eb-9396-7e75076f045d';
const files = {
  short: join(claudeProjects, '-home-marco-projects-spotter', '55604662-cf2a-4331-851a-ec234028f8ca.jsonl'),
  compactAgent: join(
    claudeProjects,
    '-home-USER-projects-spotter-worktrees-spotter-gqc',
    '258c7280-ae70-4798-800f-63464d01a85d',
    'subagents',
    'agent-acompact-fffbd0.jsonl',
  ),
  parent: join(claudeProjects, codemie, `${parentId}.jsonl`),
  subagent: join(claudeProjects, codemie, parentId, 'subagents', 'agent-a485154.jsonl'),
  legacy: join(claudeProjects, '-tmp-private', '4c2ddfdc-b619-4525-8d03-1950fb1b0257.jsonl'),
  legacyAgent: join(claudeProjects, '-tmp-private', 'agent-36541525.jsonl'),
  compacted: join(claudeProjects, '-Users-alex-workspace-cli', '0cf3db51-1c73-43bb-8d05-dc02739514a5.jsonl'),
};

const kinds = (messages: Message[]) => countBy(messages, (m) => `${m.role}/${m.kind}`);
const blocksOf = (messages: Message[]) => messages.flatMap((m) => m.blocks);
const ofType = <T extends Block['type']>(blocks: Block[], type: T) =>
  blocks.filter((b): b is Extract<Block, { type: T }> => b.type === type);

/** Every tool_result answers a tool_use of the same session, and every call is answered. */
function expectToolCallsAnswered(messages: Message[], calls: number): void {
  const blocks = blocksOf(messages);
  const uses = ofType(blocks, 'tool_use').map((b) => b.id);
  const results = ofType(blocks, 'tool_result').map((b) => b.toolUseId);
  expect(uses).toHaveLength(calls);
  expect(new Set(uses).size).toBe(calls);
  expect([...results].sort()).toEqual([...uses].sort());
}

describe.skipIf(!hasSharedFixtures)(
  `Claude Code: the shared real transcripts${hasSharedFixtures ? '' : ` (skipped: ${sharedSkipReason})`}`,
  () => {
    let dataDir: string;
    let summary: ImportSummary;
    let agentlog: Agentlog;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'agentlog-claude-shared-'));
      summary = await importClaude(dataDir, [claudeProjects]);
      agentlog = await openAgentlog(dataDir);
    });
    afterAll(async () => {
      await agentlog?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const session = (externalId: string) => sessionByExternalId(agentlog, externalId);
    const messages = async (externalId: string) => messagesOf(agentlog, (await session(externalId)).id);
    const usageOf = async (externalId: string) => {
      const id = (await session(externalId)).id;
      const rows = await agentlog.store.usage({ projectId: agentlog.project.id, groupBy: 'session' });
      return rows.find((r) => r.key === id);
    };

    it('imports all seven files without skipping anything, and keeps every line raw', async () => {
      expect(summary.files).toBe(7);
      expect(summary.skippedFiles).toEqual([]);
      expect(summary.skippedLines).toEqual([]);
      for (const file of Object.values(files)) {
        expect(await rawLinesKept(agentlog, file), file).toBe(fileLines(file).length);
      }
      const counts = await agentlog.store.counts(agentlog.project.id);
      expect(counts.rawRecords).toBe(15 + 4 + 50 + 45 + 25 + 2 + 219);
      expect(counts.messages).toBe(11 + 4 + 47 + 44 + 19 + 2 + 144);
    });

    describe('2.1.38 short session (split response, thinking, local command)', () => {
      const id = '55604662-cf2a-4331-851a-ec234028f8ca';

      it('models the session', async () => {
        const s = await session(id);
        expect(s).toMatchObject({
          cwd: '/home/marco/projects/spotter',
          gitBranch: 'master',
          models: ['claude-opus-4-6'],
          agentVersion: '2.1.38',
          title: 'mix phx.server doesnt seem to start',
          startedAt: Date.parse('2026-02-10T21:11:52.438Z'),
          endedAt: Date.parse('2026-02-10T21:16:12.381Z'),
          parentSessionId: null,
          messageCount: 11,
        });
        expect(s.meta.permissionMode).toBe('bypassPermissions');
      });

      it('keeps one message per line; the five lines of one response share its id', async () => {
        const all = await messages(id);
        expect(kinds(all)).toEqual({
          'user/message': 2,
          'assistant/message': 5,
          'tool/tool_result': 2,
          'system/command': 2,
        });
        const assistant = all.filter((m) => m.role === 'assistant');
        expect(new Set(assistant.map((m) => m.responseId))).toEqual(new Set([assistant[0]!.responseId]));
        expect(assistant.map((m) => m.blocks.map((b) => b.type))).toEqual([
          ['text'],
          ['thinking'],
          ['text'],
          ['tool_use'],
          ['tool_use'],
        ]);
        expect(assistant.every((m) => m.meta.requestId === 'req_011CY15QS2LGwAeBxdfa6e1V')).toBe(true);
        expectToolCallsAnswered(all, 2);
        expect(ofType(blocksOf(all), 'tool_result').every((b) => b.isError)).toBe(true);
      });

      it('counts the response once, with the usage of its most complete line', async () => {
        expect(await usageOf(id)).toMatchObject({
          responses: 1,
          inputTokens: 3,
          outputTokens: 13,
          cacheCreationTokens: 13835,
          cacheReadTokens: 11515,
        });
      });
    });

    describe('2.1.7 parent session and its sub-agent (subagents/ layout)', () => {
      const agentSession = `${parentId}/agent-a485154`;
      const taskCall = 'toolu_bdrk_019PUUtqzQg8U5ogfuyQ7yLV';

      it('models the parent; a summary about another session does not title it', async () => {
        const s = await session(parentId);
        expect(s).toMatchObject({
          cwd: '/Users/User/repo/codemie-ai/codemie-code',
          gitBranch: 'hooks',
          models: ['claude-sonnet-4-5-20250929'],
          agentVersion: '2.1.7',
          messageCount: 47,
        });
        expect(s.title).toMatch(/^@"solution-architect \(agent\)" analyze existing CLI command/);
        const all = await messages(parentId);
        expect(kinds(all)).toEqual({
          'user/message': 1,
          'assistant/message': 30,
          'tool/tool_result': 14,
          'system/event': 2,
        });
        expect(all.filter((m) => m.role === 'system').map((m) => m.meta.subtype)).toEqual([
          'stop_hook_summary',
          'turn_duration',
        ]);
        expect(ofType(blocksOf(all), 'thinking')).toHaveLength(11);
        expect(new Set(all.filter((m) => m.role === 'assistant').map((m) => m.responseId)).size).toBe(11);
        expectToolCallsAnswered(all, 14);
      });

      it('links the sub-agent to the parent session and to the Task call that ran it', async () => {
        const parent = await session(parentId);
        const child = await session(agentSession);
        expect(child).toMatchObject({
          parentSessionId: parent.id,
          parentToolCallId: taskCall,
          agentId: 'a485154',
          agentVersion: '2.1.7',
          messageCount: 44,
        });
        expect(child.meta.agentType).toBe('solution-architect');
        const spawn = ofType(blocksOf(await messages(parentId)), 'tool_use').find((b) => b.id === taskCall);
        expect(spawn?.name).toBe('Task');
        const result = (await messages(parentId)).find((m) =>
          m.blocks.some((b) => b.type === 'tool_result' && b.toolUseId === taskCall),
        );
        expect(result?.meta.toolUseResult).toEqual({
          agentId: 'a485154',
          status: 'completed',
          totalDurationMs: 349797,
          totalTokens: 57744,
          totalToolUseCount: 20,
        });
      });

      it('keeps the sub-agent transcript, sidechain flags and its progress line', async () => {
        const all = await messages(agentSession);
        expect(all[0]?.parentExternalId).toBeNull();
        expect(all.every((m) => m.meta.isSidechain === true)).toBe(true);
        expectToolCallsAnswered(all, 20);
        expect(await rawLinesKept(agentlog, files.subagent)).toBe(45);
        expect((await usageOf(agentSession))?.responses).toBe(6);
      });

      it('counts usage per line where no request id tells the lines of a response apart', async () => {
        const usage = await usageOf(parentId);
        expect(usage?.responses).toBeGreaterThanOrEqual(11);
        expect(usage?.responses).toBeLessThanOrEqual(30);
      });
    });

    describe('2.1.39 compaction sub-agent whose parent file is absent', () => {
      it('creates the sub-agent under a placeholder parent session', async () => {
        const parent = await session('258c7280-ae70-4798-800f-63464d01a85d');
        const child = await session('258c7280-ae70-4798-800f-63464d01a85d/agent-acompact-fffbd0');
        expect(parent).toMatchObject({ messageCount: 0, cwd: null });
        expect(child).toMatchObject({
          parentSessionId: parent.id,
          parentToolCallId: null,
          agentId: 'acompact-fffbd0',
          // Named for what it is, not by the summariser's prompt, the same in every compaction.
          title: 'Conversation compaction',
          meta: { agentType: 'compaction' },
          gitBranch: 'spotter-gqc',
          agentVersion: '2.1.39',
          models: ['claude-opus-4-6'],
        });
        const all = await messagesOf(agentlog, child.id);
        expect(kinds(all)).toEqual({ 'user/meta': 2, 'user/message': 1, 'assistant/message': 1 });
      });
    });

    describe('2.0.64 legacy layout (flat agent-<id>.jsonl beside the session)', () => {
      it('models the main session', async () => {
        const s = await session('4c2ddfdc-b619-4525-8d03-1950fb1b0257');
        expect(s).toMatchObject({
          cwd: '/tmp/private',
          gitBranch: 'analytics-v2',
          agentVersion: '2.0.64',
          models: ['claude-sonnet-4-5-20250929'],
          title: 'create hello.py, md and js',
          messageCount: 19,
        });
        expect(s.meta.slug).toBe('encapsulated-mapping-wolf');
        expectToolCallsAnswered(await messagesOf(agentlog, s.id), 6);
        expect(await rawLinesKept(agentlog, files.legacy)).toBe(25);
      });

      it('links the flat sub-agent file to the session named in its records', async () => {
        const parent = await session('4c2ddfdc-b619-4525-8d03-1950fb1b0257');
        const child = await session('4c2ddfdc-b619-4525-8d03-1950fb1b0257/agent-36541525');
        expect(child).toMatchObject({ parentSessionId: parent.id, agentId: '36541525', title: 'Warmup' });
        expect(child.messageCount).toBe(2);
      });
    });

    describe('2.1.14 session with a manual compaction', () => {
      const id = '0cf3db51-1c73-43bb-8d05-dc02739514a5';

      it('keeps the history before the boundary and marks boundary and summary', async () => {
        const all = await messages(id);
        expect(all).toHaveLength(144);
        const boundaryAt = all.findIndex((m) => m.kind === 'compact_boundary');
        const boundary = all[boundaryAt]!;
        expect(boundary).toMatchObject({
          role: 'system',
          parentExternalId: null,
          text: 'Conversation compacted',
        });
        expect(boundary.meta).toMatchObject({
          compactMetadata: { trigger: 'manual', preTokens: 153739 },
          logicalParentUuid: '3d3bb7ed-4ef2-4108-aac1-123791480617',
        });
        expect(
          all.slice(0, boundaryAt).some((m) => m.externalId === '3d3bb7ed-4ef2-4108-aac1-123791480617'),
        ).toBe(true);
        // 37 records precede the boundary in the file; the /compact command lines written after it
        // carry earlier timestamps, so in time order they come before it too.
        expect(boundaryAt).toBe(39);
        const summaries = all.filter((m) => m.kind === 'compact_summary');
        expect(summaries).toHaveLength(1);
        expect(summaries[0]).toMatchObject({ role: 'user', parentExternalId: boundary.externalId });
        expect(summaries[0]!.text).toMatch(/^This session is being continued from a previous conversation/);
      });

      it('models messages, thinking, split responses, tools and usage', async () => {
        const s = await session(id);
        expect(s).toMatchObject({
          cwd: '/Users/alex/workspace/cli',
          gitBranch: 'alex/ent-112-checkpoint-id-reuse-bug',
          models: ['claude-opus-4-5-20251101'],
          agentVersion: '2.1.14',
          title: 'commit this',
        });
        const all = await messages(id);
        expect(kinds(all)).toEqual({
          'assistant/message': 91,
          'system/compact_boundary': 1,
          'system/event': 6,
          'tool/tool_result': 39,
          'user/command': 2,
          'user/compact_summary': 1,
          'user/message': 3,
          'user/meta': 1,
        });
        expect(ofType(blocksOf(all), 'thinking')).toHaveLength(40);
        expect(new Set(all.filter((m) => m.role === 'assistant').map((m) => m.responseId)).size).toBe(40);
        expectToolCallsAnswered(all, 39);
        expect((await usageOf(id))?.responses).toBe(40);
      });

      it('keeps the progress, queue-operation and snapshot lines raw', async () => {
        expect(await rawLinesKept(agentlog, files.compacted)).toBe(219);
      });
    });
  },
);
