import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAgentlog, type Agentlog } from '../../../src/agentlog.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { importRun, type ImportSummary } from '../../../src/ingest/import-run.ts';
import { claudeCode } from '../../../src/sources/claude-code/index.ts';
import { ownFixtures } from '../../support/shared-fixtures.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { rawLinesKept, sessionByExternalId } from './imported-store.ts';

// Each file holds a `summary` of the other's conversation, named by a leaf message of the other
// file. A has no title of its own, so the summary in B's file titles it (over its first prompt);
// B names itself with an ai-title, which the summary in A's file must not replace.
const project = join(ownFixtures, 'claude-code', 'cross-file-summary', '-home-dev-notes');
const A = 'c1a00000-0000-4000-8000-00000000000a';
const B = 'c1b00000-0000-4000-8000-00000000000b';
const fileA = join(project, `${A}.jsonl`);
const fileB = join(project, `${B}.jsonl`);

const tempDir = useTempDirs();

async function openStore(): Promise<Agentlog> {
  return createAgentlog(loadConfig({ flags: { dataDir: tempDir() }, env: {} }));
}

function importPaths(agentlog: Agentlog, paths: string[], workers = 0): Promise<ImportSummary> {
  return importRun({
    store: agentlog.store,
    projectId: agentlog.project.id,
    format: claudeCode,
    paths,
    defaultRoots: [],
    // minBytes 0: the pool is used however small the files are.
    ...(workers > 0 ? { workers: { count: workers, minBytes: 0 } } : {}),
  });
}

async function expectBothTitled(agentlog: Agentlog): Promise<void> {
  expect((await sessionByExternalId(agentlog, A)).title).toBe('Log rotation with logrotate');
  expect((await sessionByExternalId(agentlog, B)).title).toBe('Release checklist draft');
  expect(await agentlog.store.counts(agentlog.project.id)).toEqual({
    sessions: 2,
    messages: 4,
    rawRecords: 7,
  });
  // The summary lines are kept raw like every other line.
  expect(await rawLinesKept(agentlog, fileA)).toBe(3);
  expect(await rawLinesKept(agentlog, fileB)).toBe(4);
}

describe('Claude Code: a summary titles the session of its leaf in another file', () => {
  const orders: [string, string[][], number][] = [
    ['the leaf’s file first, in an earlier run', [[fileA], [fileB]], 0],
    ['the summary’s file first, in an earlier run', [[fileB], [fileA]], 0],
    ['both files in one run', [[project]], 0],
    ['both files in one run on worker threads', [[project]], 2],
  ];
  for (const [name, runs, workers] of orders) {
    it(`${name}: same titles, nothing lost or added by importing again`, async () => {
      const agentlog = await openStore();
      try {
        for (const paths of runs) await importPaths(agentlog, paths, workers);
        await expectBothTitled(agentlog);
        const again = await importPaths(agentlog, [project], workers);
        expect(again).toMatchObject({ newMessages: 0, filesUnchanged: 2 });
        await expectBothTitled(agentlog);
      } finally {
        await agentlog.close();
      }
    });
  }

  it('leaves a session untitled while its summary’s leaf is not imported, its first prompt shown', async () => {
    const agentlog = await openStore();
    try {
      await importPaths(agentlog, [fileA]);
      // B's leaf is not stored: A's summary of it waits, and A keeps its first prompt.
      expect((await sessionByExternalId(agentlog, A)).title).toBe('How do I rotate the logs?');
    } finally {
      await agentlog.close();
    }
  });
});
