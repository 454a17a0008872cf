import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../../src/ingest/import-run.ts';
import { runCli } from '../../support/run-cli.ts';
import { codexFixtures, importCodex, messagesOf, sessionOf, withStore } from './imported-store.ts';

// The first Codex CLI (TypeScript, spring 2025) saved each session as one pretty-printed JSON
// document, `sessions/rollout-<date>-<id>.json`: `{session: {timestamp, id, instructions}, items}`.
const home = join(codexFixtures, 'typescript-cli');
const id = '7d2f4c1a-9b3e-4f6a-8c5d-1e2f3a4b5c6d';

describe('Codex: rollouts of the TypeScript CLI', () => {
  let dataDir: string;
  let summary: ImportSummary;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agentlog-codex-ts-'));
    summary = await importCodex(dataDir, [home]);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('finds and reads the document', async () => {
    expect(summary).toMatchObject({ files: 1, filesSkipped: 0, sessions: 1, skippedLines: [] });
    await withStore(dataDir, async (agentlog) => {
      expect(await sessionOf(agentlog, id)).toMatchObject({
        title: 'list the files here',
        startedAt: Date.parse('2025-04-18T14:22:07.512Z'),
      });
      const messages = await messagesOf(agentlog, id);
      expect(messages.map((m) => [m.role, m.kind, m.blocks.map((b) => b.type).join()])).toEqual([
        // The reasoning item has no summary and no encrypted content: no message.
        ['user', 'message', 'text'],
        ['assistant', 'message', 'tool_use'],
        ['tool', 'tool_result', 'tool_result'],
        ['assistant', 'message', 'text'],
      ]);
      expect(messages[2]).toMatchObject({
        blocks: [{ type: 'tool_result', toolUseId: 'call_ls', content: 'a.txt\nb.txt\n', isError: false }],
        meta: { exitCode: 0 },
      });
    });
  });

  it('is told apart by import auto, and adds nothing when imported again', async () => {
    const result = await runCli(['--data-dir', dataDir, 'import', 'auto', home, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      detected: { codex: 1 },
      skippedFiles: [],
      newMessages: 0,
    });
  });
});
