import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../../src/ingest/import-run.ts';
import {
  codexFixtures,
  importCodex,
  messagesOf,
  sessionOf,
  usageBySession,
  withStore,
} from './imported-store.ts';

// Codex with paginated history (0.146+) does not append a resumed thread to its rollout: it opens
// a segment `rollout-<time>-<thread id>_<segment id>.jsonl` whose session_meta names the thread
// (and `history_base`, where the history it continues ends). Both files are one conversation.
// A third file is a fork of the thread that refers to its history in `history_base` instead of
// copying it.
const thread = '019eb100-0000-7000-8000-0000000000e1';
const segment = '019eb11c-0000-7000-8000-0000000000e2';
const fork = '019eb130-0000-7000-8000-0000000000e5';

describe('Codex: a thread resumed into a new rollout segment', () => {
  let dataDir: string;
  let summary: ImportSummary;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agentlog-codex-segments-'));
    summary = await importCodex(dataDir, [join(codexFixtures, 'segments')]);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('reads both segments into the one session of the thread', async () => {
    expect(summary).toMatchObject({ files: 3, sessions: 2, messages: 6, skippedLines: [] });
    await withStore(dataDir, async (agentlog) => {
      expect(await agentlog.store.findSessions(agentlog.project.id, segment)).toEqual([]);
      const session = await sessionOf(agentlog, thread);
      expect(session.title).toBe('rename the health route to /livez');
      const messages = await messagesOf(agentlog, thread);
      expect(messages.map((m) => [m.role, m.text])).toEqual([
        ['user', 'rename the health route to /livez'],
        ['assistant', 'Renamed it in routes.ts.'],
        ['user', 'now update the docs too'],
        ['assistant', 'The README now says /livez.'],
      ]);
      expect(new Set(messages.map((m) => m.externalId)).size).toBe(4);
    });
  });

  it('counts the responses of both segments as the thread usage', async () => {
    await withStore(dataDir, async (agentlog) => {
      const usage = (await usageBySession(agentlog)).get((await sessionOf(agentlog, thread)).id);
      expect(usage).toMatchObject({
        responses: 2,
        inputTokens: 3000,
        cacheReadTokens: 8000,
        outputTokens: 300,
      });
    });
  });

  it('links a fork that refers to the history it continues (history_base) to that thread', async () => {
    await withStore(dataDir, async (agentlog) => {
      const source = await sessionOf(agentlog, thread);
      expect(await sessionOf(agentlog, fork)).toMatchObject({
        forkedFromSessionId: source.id,
        title: 'what if we kept /healthz as an alias?',
      });
      expect((await messagesOf(agentlog, fork)).map((m) => m.text)).toEqual([
        'what if we kept /healthz as an alias?',
        'Both routes now answer.',
      ]);
    });
  });

  it('adds nothing when imported again', async () => {
    const again = await importCodex(dataDir, [join(codexFixtures, 'segments')]);
    expect(again).toMatchObject({ newMessages: 0, filesUnchanged: 3 });
  });
});
