import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../../../src/domain/blocks.ts';
import type { ImportSummary } from '../../../src/ingest/import-run.ts';
import {
  codexFixtures,
  importCodex,
  messagesOf,
  rawLinesKept,
  sessionOf,
  usageBySession,
  withStore,
} from './imported-store.ts';

// Small synthetic rollouts for what the real ones do not show: compaction, forks and sub-agents
// with a copied parent history, archived and odd-named files, the oldest format, broken lines.
const main = '019cadfd-8900-7aaa-8000-000000000001';
const compacted = '019cae34-7780-7ccc-8000-000000000003';
const subagent = '019cae34-8720-7ddd-8000-000000000004';
const fork = '019cae6b-6600-7eee-8000-000000000005';
const archived = '019c7a10-1400-7e00-8000-000000000006';
const eventsOnly = '019cb2ec-f680-7f00-8000-000000000008';
const legacy = '5f3c1a2e-0b7d-4c6e-9f10-2a3b4c5d6e01';
const broken = '019cb84a-4100-7a0b-8000-000000000009';
const brokenFile = join(codexFixtures, 'bad', `rollout-2026-03-04T11-00-00-${broken}.jsonl`);
const roots = ['home', 'odd', 'legacy', 'bad'].map((d) => join(codexFixtures, d));

const texts = (blocks: Block[]) => blocks.map((b) => b.type);

describe('Codex: own fixtures', () => {
  let dataDir: string;
  let summary: ImportSummary;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agentlog-codex-own-'));
    summary = await importCodex(dataDir, roots);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const inStore = <T>(use: Parameters<typeof withStore<T>>[1]) => withStore(dataDir, use);

  it('reads every rollout once: the archived copy of an active thread is not read', () => {
    expect(summary).toMatchObject({ files: 9, filesSkipped: 1, sessions: 8 });
    // The sub-agent's reply item says more than its event copy and replaces it (a revision).
    expect(summary.messages - summary.newMessages).toBe(1);
  });

  it('reports broken lines with file, line and reason, and keeps the valid lines around them', async () => {
    expect(summary.skippedLines).toEqual([
      { file: brokenFile, line: 3, reason: expect.stringMatching(/^invalid JSON/) },
      {
        file: brokenFile,
        line: 4,
        reason: 'payload.content: expected an array of content parts, got number',
      },
      { file: brokenFile, line: 5, reason: 'payload: missing' },
      { file: brokenFile, line: 6, reason: 'not a JSON object' },
      { file: brokenFile, line: 7, reason: 'timestamp: not a valid timestamp: "yesterday-ish"' },
    ]);
    await inStore(async (agentlog) => {
      expect((await messagesOf(agentlog, broken)).map((m) => m.text)).toEqual(['hello', 'hi there']);
      // Every line that is JSON is kept raw, the unusable ones included.
      expect(await rawLinesKept(agentlog, brokenFile)).toBe(7);
    });
  });

  it('skips a file that is not a Codex rollout, judged by its content', () => {
    expect(summary.skippedFiles).toEqual([
      {
        file: join(codexFixtures, 'bad', 'claude-session.jsonl'),
        reason: 'not a codex transcript: a Claude Code transcript, not a Codex rollout',
      },
    ]);
  });

  it('models a session: injected context marked meta, mirrored prompt and reply kept once', async () => {
    await inStore(async (agentlog) => {
      const session = await sessionOf(agentlog, main);
      expect(session).toMatchObject({
        title: 'Add a --dry-run flag to the deploy script',
        cwd: '/home/dev/shop',
        gitBranch: 'main',
        agentVersion: '0.130.0',
        models: ['gpt-5.1-codex'],
        startedAt: Date.parse('2026-03-02T10:00:00.000Z'),
      });
      expect(session.meta).toMatchObject({ originator: 'codex_cli_rs', gitCommit: '4f2a9c1d' });
      const messages = await messagesOf(agentlog, main);
      expect(messages.map((m) => [m.seq, m.role, m.kind])).toEqual([
        [3, 'system', 'meta'],
        [4, 'user', 'meta'],
        [6, 'user', 'message'],
        [8, 'assistant', 'message'],
        [9, 'assistant', 'message'],
        [11, 'tool', 'tool_result'],
        [13, 'assistant', 'message'],
        [17, 'tool', 'tool_result'],
        [18, 'assistant', 'message'],
        [19, 'tool', 'tool_result'],
        [20, 'assistant', 'message'],
      ]);
      expect(messages[0]!.meta).toMatchObject({ role: 'developer' });
      expect(messages[3]!.blocks).toEqual([{ type: 'thinking', thinking: '**Reading the deploy script**' }]);
      expect(messages.at(-1)).toMatchObject({
        text: expect.stringMatching(/^Added `--dry-run`/),
        model: 'gpt-5.1-codex',
      });
      expect(messages.at(-1)!.meta).toMatchObject({ phase: 'final_answer' });
      expect(messages[0]!.externalId).toBe(`${main}:2026-03-02T11-00-00:3`);
    });
  });

  it('links tool calls to outputs; non-JSON arguments and apply_patch input stay text', async () => {
    await inStore(async (agentlog) => {
      const blocks = (await messagesOf(agentlog, main)).flatMap((m) => m.blocks);
      const uses = blocks.filter((b) => b.type === 'tool_use');
      expect(uses).toEqual([
        {
          type: 'tool_use',
          id: 'call_read',
          name: 'exec_command',
          input: { cmd: 'cat scripts/deploy.sh', workdir: '/home/dev/shop' },
        },
        {
          type: 'tool_use',
          id: 'call_patch',
          name: 'apply_patch',
          input: expect.stringMatching(/^\*\*\* Begin Patch/),
        },
        { type: 'tool_use', id: 'call_try', name: 'shell', input: 'sh scripts/deploy.sh --dry-run &&' },
      ]);
      const results = blocks.filter((b) => b.type === 'tool_result');
      expect(results.map((r) => r.type === 'tool_result' && [r.toolUseId, r.isError])).toEqual([
        ['call_read', false],
        ['call_patch', false],
        ['call_try', true],
      ]);
    });
  });

  it('turns cumulative token counts into one usage row per response; a repeated snapshot counts once', async () => {
    await inStore(async (agentlog) => {
      const usage = (await usageBySession(agentlog)).get((await sessionOf(agentlog, main)).id);
      // Responses: (1000 in, 0 cached, 50 out), (1200, 900, 70) written twice, (1300, 1100, 80).
      expect(usage).toMatchObject({
        responses: 3,
        inputTokens: 1000 + 300 + 200,
        cacheReadTokens: 900 + 1100,
        outputTokens: 200,
        cacheCreationTokens: 0,
      });
    });
  });

  it('keeps a compaction: the summary, the boundary and the turn after it', async () => {
    await inStore(async (agentlog) => {
      const messages = await messagesOf(agentlog, compacted);
      expect(messages.map((m) => [m.role, m.kind])).toEqual([
        ['user', 'message'],
        ['assistant', 'message'],
        ['user', 'compact_summary'],
        ['system', 'compact_boundary'],
        ['user', 'message'],
        ['system', 'event'],
      ]);
      expect(messages[2]!.text).toMatch(/^Summary so far/);
      expect(messages[2]!.meta).toMatchObject({ replacementHistoryItems: 2 });
      expect(messages[5]!.meta).toMatchObject({ event: 'turn_aborted', reason: 'interrupted' });
      const session = await sessionOf(agentlog, compacted);
      expect(session.models).toEqual(['gpt-5.1-codex-max']);
      expect((await usageBySession(agentlog)).get(session.id)).toMatchObject({
        responses: 2,
        inputTokens: 5500,
      });
    });
  });

  it('links a fork to its source and does not take the copied history as its own', async () => {
    await inStore(async (agentlog) => {
      const session = await sessionOf(agentlog, fork);
      const source = await sessionOf(agentlog, main);
      expect(session).toMatchObject({
        forkedFromSessionId: source.id,
        title: 'Instead, make it a config option',
      });
      const messages = await messagesOf(agentlog, fork);
      expect(messages.map((m) => m.text)).toEqual([
        'Instead, make it a config option',
        'Moved it to `deploy.dryRun` in shop.config.json.',
      ]);
      // The copied token count belongs to the source; the fork's own response counts once.
      expect((await usageBySession(agentlog)).get(session.id)).toMatchObject({
        responses: 1,
        inputTokens: 500,
        cacheReadTokens: 1000,
        outputTokens: 50,
      });
      expect(
        await rawLinesKept(
          agentlog,
          join(
            codexFixtures,
            'home',
            'sessions',
            '2026',
            '03',
            '02',
            `rollout-2026-03-02T13-00-00-${fork}.jsonl`,
          ),
        ),
      ).toBe(16);
    });
  });

  it('links a sub-agent to the thread that spawned it; its copied prefix ends at its own settings', async () => {
    await inStore(async (agentlog) => {
      const session = await sessionOf(agentlog, subagent);
      const parent = await sessionOf(agentlog, main);
      expect(session).toMatchObject({
        parentSessionId: parent.id,
        agentId: 'Darwin',
        title: 'Find every caller of deploy()',
        models: ['gpt-5.1-codex-mini'],
      });
      expect(session.meta).toMatchObject({ agentRole: 'explorer' });
      const messages = await messagesOf(agentlog, subagent);
      expect(messages.map((m) => [m.role, m.kind])).toEqual([
        ['user', 'message'],
        ['assistant', 'message'],
        ['tool', 'tool_result'],
        ['assistant', 'message'],
      ]);
      // The reply item carries a citation its event copy lacks: the item's version is the one kept.
      const reply = messages[3]!;
      expect(texts(reply.blocks)).toEqual(['text', 'other']);
      expect(reply.meta.record).toBeUndefined();
      expect((await usageBySession(agentlog)).get(session.id)).toMatchObject({
        responses: 1,
        inputTokens: 800,
      });
    });
  });

  it('reads archived threads', async () => {
    await inStore(async (agentlog) => {
      const messages = await messagesOf(agentlog, archived);
      expect(messages.map((m) => m.text)).toEqual([
        'What does make release do?',
        'It tags the commit and uploads the tarball.',
      ]);
    });
  });

  it('keeps the events of a rollout that has no response items, named after nothing', async () => {
    await inStore(async (agentlog) => {
      const session = await sessionOf(agentlog, eventsOnly);
      expect(session).toMatchObject({ title: 'Summarise CHANGELOG.md' });
      expect(session.meta).toMatchObject({ originator: 'codex_exec', source: 'exec' });
      const messages = await messagesOf(agentlog, eventsOnly);
      expect(messages.map((m) => [m.role, m.text])).toEqual([
        ['user', 'Summarise CHANGELOG.md'],
        ['assistant', 'Three releases, all bug fixes.'],
      ]);
    });
  });

  it('reads the oldest format: a bare first line, state markers and items without an envelope', async () => {
    await inStore(async (agentlog) => {
      const session = await sessionOf(agentlog, legacy);
      expect(session).toMatchObject({
        title: 'List the files here',
        startedAt: Date.parse('2025-05-01T09:00:00.000Z'),
      });
      const messages = await messagesOf(agentlog, legacy);
      expect(messages.map((m) => [m.role, m.kind])).toEqual([
        ['user', 'meta'],
        ['user', 'message'],
        ['assistant', 'message'],
        ['tool', 'tool_result'],
        ['assistant', 'message'],
      ]);
      expect(messages[2]!.blocks).toEqual([
        { type: 'tool_use', id: 'call_ls', name: 'shell', input: { command: ['ls'] } },
      ]);
      // The shell tool of that time answered {output, metadata} as a JSON string.
      expect(messages[3]!.blocks).toEqual([
        { type: 'tool_result', toolUseId: 'call_ls', content: 'Makefile\nsrc\n', isError: false },
      ]);
      expect(messages[3]!.meta).toMatchObject({ exitCode: 0, durationSeconds: 0 });
    });
  });

  it('adds nothing when imported again', async () => {
    const again = await importCodex(dataDir, roots);
    expect(again).toMatchObject({ files: 9, filesUnchanged: 8, filesSkipped: 1, newMessages: 0 });
  });
});
