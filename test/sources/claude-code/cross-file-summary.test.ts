import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAgentlog, type Agentlog } from '../../../src/agentlog.ts';
import { loadConfig } from '../../../src/config/config.ts';
import { importRun, type ImportSummary } from '../../../src/ingest/import-run.ts';
import { claudeCode } from '../../../src/sources/claude-code/index.ts';
import { canaryText } from '../../fixtures/enrich/canaries.ts';
import { ownFixtures } from '../../support/shared-fixtures.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { rawLinesKept, sessionByExternalId } from './imported-store.ts';

const fixtures = join(ownFixtures, 'claude-code', 'cross-file-summary');

/** A project of two sessions, A and B, whose B file holds a `summary` naming a leaf message of A. */
type Pair = {
  dir: string;
  A: string;
  B: string;
  titles: { A: string; B: string };
  lines: { A: number; B: number };
};

const pairs: Record<string, Pair> = {
  // Each file summarises the other's conversation. A has no title of its own, so the summary in
  // B's file titles it (over its first prompt); B names itself with an ai-title, which the summary
  // in A's file must not replace.
  'each summarising the other': {
    dir: join(fixtures, '-home-dev-notes'),
    A: 'c1a00000-0000-4000-8000-00000000000a',
    B: 'c1b00000-0000-4000-8000-00000000000b',
    titles: { A: 'Log rotation with logrotate', B: 'Release checklist draft' },
    lines: { A: 3, B: 4 },
  },
  // Claude Code 1.0.x resumed a session in a new file: the summary of the conversation so far,
  // a copy of it under the new id (same uuids), then the new turns. Both sessions hold the leaf.
  'a resumed session': {
    dir: join(fixtures, '-home-dev-resume'),
    A: 'c2a00000-0000-4000-8000-00000000000a',
    B: 'c2b00000-0000-4000-8000-00000000000b',
    titles: { A: 'CI build failure from a stale lockfile', B: 'CI build failure from a stale lockfile' },
    lines: { A: 2, B: 5 },
  },
};

const tempDir = useTempDirs();

function importPaths(agentlog: Agentlog, paths: string[], workers: number): Promise<ImportSummary> {
  return importRun({
    store: agentlog.store,
    projectId: agentlog.project.id,
    format: claudeCode,
    paths,
    defaultRoots: [],
    // minBytes 0: the pool is used however small the files are (it takes the largest file first).
    ...(workers > 0 ? { workers: { count: workers, minBytes: 0 } } : {}),
  });
}

async function expectTitled(agentlog: Agentlog, pair: Pair): Promise<void> {
  const file = (session: string) => join(pair.dir, `${session}.jsonl`);
  expect((await sessionByExternalId(agentlog, pair.A)).title).toBe(pair.titles.A);
  expect((await sessionByExternalId(agentlog, pair.B)).title).toBe(pair.titles.B);
  expect(await agentlog.store.counts(agentlog.project.id)).toEqual({
    sessions: 2,
    messages: 4,
    rawRecords: pair.lines.A + pair.lines.B,
  });
  // The summary lines are kept raw like every other line.
  expect(await rawLinesKept(agentlog, file(pair.A))).toBe(pair.lines.A);
  expect(await rawLinesKept(agentlog, file(pair.B))).toBe(pair.lines.B);
}

describe('Claude Code: a summary titles the sessions holding its leaf, in other files too', () => {
  for (const [pairName, pair] of Object.entries(pairs)) {
    const fileA = join(pair.dir, `${pair.A}.jsonl`);
    const fileB = join(pair.dir, `${pair.B}.jsonl`);
    const orders: [string, string[][], number][] = [
      ['the leaf’s file first, in an earlier run', [[fileA], [fileB]], 0],
      ['the summary’s file first, in an earlier run', [[fileB], [fileA]], 0],
      ['both files in one run', [[pair.dir]], 0],
      ['both files in one run on worker threads', [[pair.dir]], 2],
    ];
    for (const [order, runs, workers] of orders) {
      it(`${pairName}, ${order}: the same titles, nothing lost or added by importing again`, async () => {
        const agentlog = await createAgentlog(loadConfig({ flags: { dataDir: tempDir() }, env: {} }));
        try {
          for (const paths of runs) await importPaths(agentlog, paths, workers);
          await expectTitled(agentlog, pair);
          const again = await importPaths(agentlog, [pair.dir], workers);
          expect(again).toMatchObject({ newMessages: 0, filesUnchanged: 2 });
          await expectTitled(agentlog, pair);
        } finally {
          await agentlog.close();
        }
      });
    }
  }

  it('leaves a session its first prompt while the summary’s leaf is not imported', async () => {
    const agentlog = await createAgentlog(loadConfig({ flags: { dataDir: tempDir() }, env: {} }));
    try {
      const { dir, A } = pairs['each summarising the other']!;
      await importPaths(agentlog, [join(dir, `${A}.jsonl`)], 0);
      expect((await sessionByExternalId(agentlog, A)).title).toBe('How do I rotate the logs?');
    } finally {
      await agentlog.close();
    }
  });

  it('redacts a secret in the summary before it titles the session', async () => {
    const { dir, A, B } = pairs['each summarising the other']!;
    const project = tempDir();
    copyFileSync(join(dir, `${A}.jsonl`), join(project, `${A}.jsonl`));
    const secret = canaryText('connection_string_password');
    const lines = readFileSync(join(dir, `${B}.jsonl`), 'utf8').replace(
      'Log rotation with logrotate',
      secret,
    );
    writeFileSync(join(project, `${B}.jsonl`), lines);
    const agentlog = await createAgentlog(loadConfig({ flags: { dataDir: tempDir() }, env: {} }));
    try {
      await importPaths(agentlog, [project], 0);
      const title = (await sessionByExternalId(agentlog, A)).title;
      expect(title).toContain('[REDACTED:connection_string_password]');
      expect(title).not.toBe(secret);
    } finally {
      await agentlog.close();
    }
  });
});
