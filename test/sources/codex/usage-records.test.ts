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

// Codex 0.15x writes each response's usage in a `token_usage_record` line, beside the token_count
// events or without them, and new record types (security_risk_score) and user and agent items
// completed as events (`item_completed`). One rollout has both usage records, one only the new.
const both = '019ee000-0000-7000-8000-0000000000f1';
const recordsOnly = '019ee010-0000-7000-8000-0000000000f2';

describe('Codex: usage in token_usage_record lines', () => {
  let dataDir: string;
  let summary: ImportSummary;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agentlog-codex-usage-records-'));
    summary = await importCodex(dataDir, [join(codexFixtures, 'usage-records')]);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('knows the new record types: no line is reported', () => {
    expect(summary).toMatchObject({ files: 2, sessions: 2, skippedLines: [] });
  });

  it('counts each response once when a rollout writes token_count and token_usage_record', async () => {
    await withStore(dataDir, async (agentlog) => {
      const usage = (await usageBySession(agentlog)).get((await sessionOf(agentlog, both)).id);
      expect(usage).toMatchObject({
        responses: 2,
        inputTokens: 3400,
        cacheReadTokens: 4900,
        outputTokens: 150,
      });
    });
  });

  it('counts token_usage_record when it is the only usage a rollout has', async () => {
    await withStore(dataDir, async (agentlog) => {
      const session = await sessionOf(agentlog, recordsOnly);
      expect((await usageBySession(agentlog)).get(session.id)).toMatchObject({
        responses: 1,
        inputTokens: 900,
        cacheReadTokens: 0,
        outputTokens: 5,
      });
      const rows = await agentlog.store.usage({
        projectId: agentlog.project.id,
        groupBy: 'model',
        source: 'codex',
      });
      expect(rows.map((r) => r.key).sort()).toEqual(['gpt-5.6', 'gpt-5.6-mini']);
    });
  });

  it('keeps the prompt and the reply once, though item_completed repeats them', async () => {
    await withStore(dataDir, async (agentlog) => {
      const messages = await messagesOf(agentlog, both);
      expect(
        messages
          .filter((m) => m.role !== 'tool' && m.blocks.some((b) => b.type === 'text'))
          .map((m) => m.text),
      ).toEqual(['count the lines in main.go', 'main.go has 42 lines.']);
    });
  });
});
