import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateClaudeCorpus } from '../../bench/generate-claude-corpus.ts';
import { createAgentlog, type Agentlog } from '../../src/agentlog.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { FileOutcome } from '../../src/ingest/import-file.ts';
import { importInWorkers } from '../../src/ingest/import-pool.ts';
import { importRun, listFiles, type ImportSummary } from '../../src/ingest/import-run.ts';
import { claudeCode } from '../../src/sources/claude-code/index.ts';
import { useTempDirs } from '../support/temp-dir.ts';

// An import on worker threads must store exactly what the same import stores in one thread.
const tempDir = useTempDirs();

async function importWith(
  projects: string,
  workers: number,
): Promise<{ summary: ImportSummary; agentlog: Agentlog }> {
  const config = loadConfig({ flags: { dataDir: tempDir() }, env: {} });
  const agentlog = await createAgentlog(config);
  const summary = await importRun({
    store: agentlog.store,
    projectId: agentlog.project.id,
    format: claudeCode,
    paths: [projects],
    defaultRoots: [],
    ...(workers > 0 ? { workers: { count: workers, minBytes: 0 } } : {}),
  });
  return { summary, agentlog };
}

async function contents(agentlog: Agentlog) {
  const { store, project } = agentlog;
  const sessions = await store.listSessions({ projectId: project.id });
  return {
    counts: await store.counts(project.id),
    usage: await store.usage({ projectId: project.id, groupBy: 'session' }),
    sessions: sessions
      .map((s) => ({ id: s.id, parent: s.parentSessionId, messages: s.messageCount, title: s.title }))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
  };
}

describe('import on worker threads', () => {
  it('stores what a one-thread import stores, reports bad lines in file order, and re-imports nothing', async () => {
    const corpus = generateClaudeCorpus(tempDir(), 1_500_000, 7);
    // One more project with a file of good and broken lines: every good line is kept.
    mkdirSync(join(corpus.projects, '-tmp-broken'));
    const broken = join(corpus.projects, '-tmp-broken', 'b0000000-0000-4000-8000-000000000001.jsonl');
    const line = (n: number) =>
      JSON.stringify({
        type: 'user',
        uuid: `b000000${n}-0000-4000-8000-000000000000`,
        parentUuid: null,
        sessionId: 'b0000000-0000-4000-8000-000000000001',
        timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
        message: { role: 'user', content: `prompt ${n}` },
      });
    writeFileSync(broken, `${line(1)}\n{"type":"user",\n${line(3)}\n[1,2\n${line(5)}\n`);

    const one = await importWith(corpus.projects, 0);
    const two = await importWith(corpus.projects, 2);
    try {
      expect(two.summary.files).toBe(corpus.files + 1);
      expect(two.summary.newMessages).toBeGreaterThan(300);
      const { durationMs: _a, ...sequential } = one.summary;
      const { durationMs: _b, ...parallel } = two.summary;
      expect(parallel).toEqual(sequential);
      expect(two.summary.skippedLines.map((l) => `${l.file}:${l.line}`)).toEqual([
        `${broken}:2`,
        `${broken}:4`,
      ]);
      expect(await contents(two.agentlog)).toEqual(await contents(one.agentlog));

      const again = await importRun({
        store: two.agentlog.store,
        projectId: two.agentlog.project.id,
        format: claudeCode,
        paths: [corpus.projects],
        defaultRoots: [],
        workers: { count: 2, minBytes: 0 },
      });
      expect(again.newMessages).toBe(0);
      expect(again.filesUnchanged).toBe(corpus.files + 1);

      // The pool itself, without importRun's choice of when to use it.
      const pooled = loadConfig({ flags: { dataDir: tempDir() }, env: {} });
      const three = await createAgentlog(pooled);
      try {
        const outcomes = new Map<string, FileOutcome>();
        await importInWorkers(await listFiles(claudeCode, [corpus.projects], []), {
          workers: 2,
          store: three.store,
          init: { projectId: three.project.id, source: claudeCode.name },
          onBytes: () => {},
          onOutcome: (path, outcome) => outcomes.set(path, outcome),
        });
        expect(outcomes.size).toBe(corpus.files + 1);
        expect([...outcomes.values()].every((o) => o.status === 'imported')).toBe(true);
        expect(await contents(three)).toEqual(await contents(one.agentlog));
      } finally {
        await three.close();
      }
    } finally {
      await one.agentlog.close();
      await two.agentlog.close();
    }
  }, 60_000);
});
