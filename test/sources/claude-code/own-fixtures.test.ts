import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agentlog } from '../../../src/agentlog.ts';
import type { Message } from '../../../src/domain/message.ts';
import type { ImportSummary } from '../../../src/ingest/import-run.ts';
import { decompressRaw, rawHash } from '../../../src/ingest/raw-codec.ts';
import { ownFixtures } from '../../support/shared-fixtures.ts';
import {
  countBy,
  fileLines,
  importClaude,
  messagesOf,
  openAgentlog,
  rawLinesKept,
  sessionByExternalId,
} from './imported-store.ts';

// Small synthetic transcripts for what no real fixture shows: the metadata record types of
// 2.1.64+, attachments, sidecar links, images, API errors, microcompaction, a forked copy.
const projects = join(ownFixtures, 'claude-code', 'projects');
const widgets = join(projects, '-home-dev-widgets');
const S1 = '5f3c2a1e-8b7d-4c6e-9f10-2a3b4c5d6e7f';
const fork = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const legacy = '2b4d6f8a-1c3e-4a5b-9c7d-0e2f4a6b8c0d';
const uuid = (n: number) => `a1000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('Claude Code: own fixtures for newer and rarer records', () => {
  let dataDir: string;
  let summary: ImportSummary;
  let agentlog: Agentlog;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agentlog-claude-own-'));
    summary = await importClaude(dataDir, [projects]);
    agentlog = await openAgentlog(dataDir);
  });
  afterAll(async () => {
    await agentlog?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const session = (externalId: string) => sessionByExternalId(agentlog, externalId);
  const byUuid = async (externalId: string) => {
    const map = new Map<string, Message>();
    for (const m of await messagesOf(agentlog, (await session(externalId)).id)) map.set(m.externalId, m);
    return map;
  };

  it('reads every file and skips no line', () => {
    expect(summary).toMatchObject({ files: 6, filesSkipped: 0, skippedLines: [], skippedFiles: [] });
    // The fork repeats three records of the session it was copied from.
    expect(summary.messages - summary.newMessages).toBe(3);
  });

  it('keeps every line raw, unknown record types included', async () => {
    const file = join(widgets, `${S1}.jsonl`);
    expect(await rawLinesKept(agentlog, file)).toBe(26);
    const lines = fileLines(file);
    for (const type of ['session-forecast', 'team-handoff', 'last-prompt', 'agent-setting']) {
      const line = lines.find((l) => JSON.parse(l.toString()).type === type)!;
      const raw = await agentlog.store.rawRecord(agentlog.project.id, 'claude-code', rawHash(line));
      expect(decompressRaw(raw!).equals(line), type).toBe(true);
    }
  });

  it('takes session facts from the metadata records', async () => {
    const s = await session(S1);
    // custom-title (set by the user) outranks the ai-title written after it.
    expect(s).toMatchObject({
      title: 'Widget visibility fix',
      cwd: '/home/dev/widgets',
      gitBranch: 'main',
      agentVersion: '2.1.120',
      models: ['claude-opus-4-7'],
      messageCount: 14,
    });
    expect(s.meta).toEqual({
      slug: 'tidy-otter-glow',
      permissionMode: 'acceptEdits',
      agentSetting: 'claude',
      agentName: 'widget-doctor',
      // Types newer than the parser: kept raw, and named here.
      unknownRecordTypes: { 'session-forecast': true, 'team-handoff': true },
      pullRequest: { url: 'https://github.com/dev/widgets/pull/42', number: 42, repository: 'dev/widgets' },
      worktree: {
        originalCwd: '/home/dev/widgets',
        worktreePath: '/home/dev/widgets/.claude/worktrees/tidy-otter',
        worktreeName: 'tidy-otter',
        worktreeBranch: 'worktree-tidy-otter',
        originalBranch: 'main',
        originalHeadCommit: '3f2e1d0c9b8a',
        sessionId: S1,
      },
    });
  });

  it('models every conversation record, attachments as injected context', async () => {
    const all = [...(await byUuid(S1)).values()];
    expect(countBy(all, (m) => `${m.role}/${m.kind}`)).toEqual({
      'user/message': 1,
      'user/meta': 1,
      'assistant/message': 6,
      'assistant/api_error': 1,
      'tool/tool_result': 3,
      'system/api_error': 1,
      'system/event': 1,
    });
    const attachment = all.find((m) => m.externalId === uuid(2))!;
    expect(attachment).toMatchObject({
      kind: 'meta',
      text: 'This project builds with pnpm.',
      parentExternalId: uuid(1),
      meta: { subtype: 'hook_additional_context' },
    });
  });

  it('keeps thinking, redacted thinking and the split lines of one response', async () => {
    const m = await byUuid(S1);
    expect(m.get(uuid(3))!.blocks).toEqual([
      {
        type: 'thinking',
        thinking: 'A blank widget usually means it is hidden by config. Look for the config first.',
      },
    ]);
    expect(m.get(uuid(4))!.blocks).toEqual([{ type: 'thinking', thinking: '', redacted: true }]);
    const response = [3, 4, 5, 6].map((n) => m.get(uuid(n))!);
    expect(response.map((r) => r.responseId)).toEqual(['msg_01A', 'msg_01A', 'msg_01A', 'msg_01A']);
    expect(response.map((r) => r.meta.requestId)).toEqual(['req_01A', 'req_01A', 'req_01A', 'req_01A']);
  });

  it('stores images of a prompt and of a tool result as blobs named by their hash', async () => {
    const m = await byUuid(S1);
    expect(m.get(uuid(1))!.blocks[1]).toEqual({
      type: 'image',
      mediaType: 'image/png',
      size: 70,
      sha256: '6b7fa434f92a8b80aab02d9bf1a12e49ffcae424e4013a1c4f68b67e3d2bbcd0',
    });
    const result = m.get(uuid(11))!.blocks[0]!;
    expect(result).toMatchObject({ type: 'tool_result', toolUseId: 'toolu_01Read', isError: false });
    expect(result.type === 'tool_result' && result.content).toEqual([
      { type: 'text', text: 'Screenshot of the broken widget:' },
      {
        type: 'image',
        mediaType: 'image/gif',
        size: 42,
        sha256: 'ef1955ae757c8b966c83248350331bd3a30f658ced11f387f8ebf05ab3368629',
      },
    ]);
  });

  it('marks API errors; a synthetic message adds no model, and zero usage as ccusage counts it', async () => {
    const m = await byUuid(S1);
    expect(m.get(uuid(12))).toMatchObject({
      role: 'system',
      kind: 'api_error',
      text: 'API error 529: Overloaded (retry 1 of 10)',
      meta: { subtype: 'api_error', retryInMs: 2000, level: 'error' },
    });
    expect(m.get(uuid(13))).toMatchObject({
      role: 'assistant',
      kind: 'api_error',
      model: '<synthetic>',
      usage: null,
    });
    const rows = await agentlog.store.usage({ projectId: agentlog.project.id, groupBy: 'session' });
    // Three responses and the synthetic one (no tokens; ccusage counts it too, see usage.ts);
    // msg_01A counted once with its most complete line (57 output tokens).
    expect(rows.find((r) => r.key === m.get(uuid(1))!.sessionId)).toMatchObject({
      responses: 4,
      outputTokens: 57 + 25 + 30,
    });
  });

  it('keeps a microcompaction as an event, not as a new context window', async () => {
    expect((await byUuid(S1)).get(uuid(14))).toMatchObject({
      role: 'system',
      kind: 'event',
      text: 'Context microcompacted',
      meta: { subtype: 'microcompact_boundary', microcompactMetadata: { tokensSaved: 42000 } },
    });
  });

  it('links a sub-agent by its result, its progress line and its meta.json sidecar', async () => {
    const parent = await session(S1);
    const explore = await session(`${S1}/agent-a7e1c0d2b3f4a5968`);
    expect(explore).toMatchObject({
      parentSessionId: parent.id,
      parentToolCallId: 'toolu_01Explore',
      agentId: 'a7e1c0d2b3f4a5968',
      models: ['claude-haiku-4-5-20251001'],
      messageCount: 4,
    });
    expect(explore.meta).toMatchObject({ agentType: 'Explore', description: 'Find the widget config' });
  });

  it('links a sub-agent whose call never returned through its sidecar alone', async () => {
    const plan = await session(`${S1}/agent-a0b1c2d3e4f5a6b7c`);
    expect(plan).toMatchObject({
      parentSessionId: (await session(S1)).id,
      parentToolCallId: 'toolu_01Plan',
      agentId: 'a0b1c2d3e4f5a6b7c',
      messageCount: 2,
    });
    expect(plan.meta).toMatchObject({ agentType: 'Plan', description: 'Plan the fix' });
  });

  it('marks a forked copy and leaves the copied records with the original', async () => {
    const original = await session(S1);
    const copy = await session(fork);
    expect(copy.forkedFromSessionId).toBe(original.id);
    expect(original.forkedFromSessionId).toBeNull();
    // The summary at the top of the file names the conversation ending at its last line.
    expect(copy.title).toBe('Widget visibility triage');
    expect([...(await byUuid(fork)).keys()]).toEqual([
      'f1000000-0000-4000-8000-000000000001',
      'f1000000-0000-4000-8000-000000000002',
    ]);
    expect(copy.messageCount).toBe(2);
    expect((await byUuid(S1)).has(uuid(1))).toBe(true);
  });

  it('links a flat legacy sub-agent to its Task call and describes it from the call', async () => {
    const parent = await session(legacy);
    const child = await session(`${legacy}/agent-5e6f7a8b`);
    expect(child).toMatchObject({
      parentSessionId: parent.id,
      parentToolCallId: 'toolu_L1Task',
      agentId: '5e6f7a8b',
      title: 'Count TODO comments under src/.',
    });
    expect(child.meta).toEqual({ agentType: 'general-purpose', description: 'Count TODOs' });
    expect(parent).toMatchObject({
      gitBranch: null,
      agentVersion: '2.0.64',
      title: 'Count the TODO comments.',
    });
  });
});
