import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

// Synthetic rollouts in the shape of newer Codex versions (notes §2): ordinals, world_state,
// the model only in collaboration_mode, `{output, metadata}` tool outputs, a rollback, record
// types no Codex has written yet, and a forked sub-agent that names its fork inside its spawn.
const main = '019d4a00-0000-7000-8000-00000000000a';
const child = '019d4a10-0000-7000-8000-00000000000b';
const dir = join(codexFixtures, 'newer');
const mainFile = join(dir, `rollout-2026-04-01T19-03-27-${main}.jsonl`);

describe('Codex: newer record shapes', () => {
  let dataDir: string;
  let summary: ImportSummary;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agentlog-codex-newer-'));
    summary = await importCodex(dataDir, [dir]);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const inStore = <T>(use: Parameters<typeof withStore<T>>[1]) => withStore(dataDir, use);

  it('reports record, item and event types it does not know on their lines, and keeps them raw', async () => {
    expect(summary).toMatchObject({ files: 2, filesSkipped: 0, sessions: 2 });
    expect(summary.skippedLines).toEqual([
      { file: mainFile, line: 14, reason: 'unknown response_item type "hologram_call": kept raw only' },
      { file: mainFile, line: 15, reason: 'unknown event_msg type "telepathy_update": kept raw only' },
      {
        file: mainFile,
        line: 16,
        reason: 'unknown record type "quantum_state" (a newer Codex?): kept raw only',
      },
    ]);
    await inStore(async (agentlog) => expect(await rawLinesKept(agentlog, mainFile)).toBe(30));
  });

  it('takes the model from collaboration_mode when turn_context has no model', async () => {
    await inStore(async (agentlog) => {
      const session = await sessionOf(agentlog, main);
      expect(session).toMatchObject({ models: ['gpt-5.3-codex'], agentVersion: '0.140.0' });
      const usage = (await usageBySession(agentlog)).get(session.id);
      // `info: null` (rate limits only) is no response; the one snapshot after it is.
      expect(usage).toMatchObject({
        responses: 1,
        inputTokens: 3000,
        cacheReadTokens: 6000,
        outputTokens: 300,
      });
    });
  });

  it('unwraps {output, metadata} tool outputs: the text, the exit code, an error when it is not 0', async () => {
    await inStore(async (agentlog) => {
      const results = (await messagesOf(agentlog, main)).filter((m) => m.kind === 'tool_result');
      expect(results.map((m) => [m.blocks, m.meta.exitCode, m.meta.durationSeconds])).toEqual([
        [
          [
            {
              type: 'tool_result',
              toolUseId: 'call_test',
              content: '1 failing: sum([]) should be 0\n',
              isError: true,
            },
          ],
          1,
          2.5,
        ],
        [
          [
            {
              type: 'tool_result',
              toolUseId: 'call_fix',
              content: 'Success. Updated the following files:\nM src/sum.ts\n',
              isError: false,
            },
          ],
          0,
          0.1,
        ],
        [
          [
            {
              type: 'tool_result',
              toolUseId: 'call_rename',
              content: 'Process exited with code 0\nOutput:\n',
              isError: false,
            },
          ],
          undefined,
          undefined,
        ],
      ]);
    });
  });

  it('marks the messages of a rolled-back turn, keeps the turns around it', async () => {
    await inStore(async (agentlog) => {
      const messages = await messagesOf(agentlog, main);
      expect(messages.map((m) => [m.seq, m.role, m.kind, m.meta.rewound ?? false])).toEqual([
        [4, 'user', 'message', false],
        [6, 'assistant', 'message', false],
        [7, 'tool', 'tool_result', false],
        [8, 'assistant', 'message', false],
        [9, 'tool', 'tool_result', false],
        [10, 'assistant', 'message', false],
        [20, 'user', 'message', true],
        [21, 'assistant', 'message', true],
        [22, 'tool', 'tool_result', true],
        [23, 'assistant', 'message', true],
        [24, 'system', 'event', false],
        [26, 'user', 'message', false],
        [27, 'assistant', 'message', false],
      ]);
      expect(messages[10]!.meta).toMatchObject({ event: 'thread_rolled_back', num_turns: 1 });
      expect(messages[6]!.text).toBe('Also rename sum to total everywhere');
    });
    // The four rolled-back messages were stored, then revised with the mark.
    expect(summary.messages - summary.newMessages).toBe(4);
  });

  it('links a sub-agent forked from its parent (forked_from_id inside thread_spawn)', async () => {
    await inStore(async (agentlog) => {
      const session = await sessionOf(agentlog, child);
      const parent = await sessionOf(agentlog, main);
      expect(session).toMatchObject({
        parentSessionId: parent.id,
        forkedFromSessionId: parent.id,
        agentId: 'Noether',
        models: ['gpt-5.3-codex-mini'],
      });
      expect(session.meta).toMatchObject({ agentRole: 'worker', agentDepth: 1 });
      // The copied prompt of the parent is not the child's.
      expect((await messagesOf(agentlog, child)).map((m) => m.text)).toEqual([
        'Check that test/sum.test.ts covers the empty list',
        'It does: sum([]) is expected to be 0.',
      ]);
    });
  });

  it('adds and revises nothing when imported again', async () => {
    const again = await importCodex(dataDir, [dir]);
    expect(again).toMatchObject({ files: 2, filesUnchanged: 2, newMessages: 0, messages: 0 });
  });
});
