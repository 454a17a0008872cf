import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NewRun } from '../../src/domain/run.ts';
import { chainAlphabet, looksLikeChainId, newChainId } from '../../src/runs/chain-id.ts';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { useTempDirs } from '../support/temp-dir.ts';

describe('runs in the store', () => {
  const tempDir = useTempDirs();

  function newRun(projectId: number, id: string, chainId: string): NewRun {
    return {
      id,
      chainId,
      projectId,
      launchType: 'local',
      command: ['python3', 'train.py'],
      cwd: '/work',
      host: 'gpu-1',
      configPath: null,
      git: { commit: 'abc', branch: 'main', dirty: false },
      meta: { gpus: '8' },
      sessionId: null,
      conversationKey: null,
      warnings: [],
      startedAt: 1000,
    };
  }

  it('keeps chain ids unique, finds runs by id, chain id in any case, or an id prefix, and records outcomes', async () => {
    const store = new SqliteStore(join(tempDir(), 'agentlog.db'));
    try {
      const { id: projectId } = await store.ensureProject('default');
      const first = await store.insertRun(newRun(projectId, 'run_a1', 'K7M2QX'));
      expect(first.ok).toBe(true);
      expect(await store.insertRun(newRun(projectId, 'run_b2', 'K7M2QX'))).toEqual({
        ok: false,
        conflict: 'chainId',
      });
      expect(await store.insertRun(newRun(projectId, 'run_a1', 'ABCDEF'))).toEqual({
        ok: false,
        conflict: 'id',
      });
      await store.insertRun({ ...newRun(projectId, 'run_a2', 'ABCDEF'), startedAt: 2000 });

      expect((await store.findRuns(projectId, 'k7m2qx')).map((r) => r.id)).toEqual(['run_a1']);
      expect((await store.findRuns(projectId, 'run_a')).map((r) => r.id)).toEqual(['run_a2', 'run_a1']);
      expect(await store.findRuns(projectId, 'ZZZZZZ')).toEqual([]);

      await store.updateRunCapture('run_a1', {
        sessionId: 'ses_1',
        conversationKey: 'conversations/local/run_a1/conversation.json',
        warnings: ['w'],
      });
      const done = await store.finishRun('run_a1', {
        status: 'failed',
        exitCode: 1,
        signal: null,
        endedAt: 3000,
        logKey: 'runs/run_a1/output.log',
      });
      expect(done).toMatchObject({
        status: 'failed',
        exitCode: 1,
        sessionId: 'ses_1',
        warnings: ['w'],
        meta: { gpus: '8' },
        git: { commit: 'abc' },
      });
      expect((await store.listRuns({ projectId, status: 'running' })).map((r) => r.id)).toEqual(['run_a2']);
      expect((await store.listRuns({ projectId })).map((r) => r.id)).toEqual(['run_a2', 'run_a1']);

      await store.addCrashReport({
        id: 'crash_1',
        runId: 'run_a1',
        createdAt: 4000,
        analyzer: 'builtin',
        signature: 's',
        json: '{}',
        markdown: '#',
      });
      expect((await store.crashReports('run_a1')).map((r) => r.id)).toEqual(['crash_1']);
      // Another project does not see these runs.
      const other = await store.ensureProject('other');
      expect(await store.findRuns(other.id, 'K7M2QX')).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('makes chain ids of 6 characters from an alphabet without look-alikes', () => {
    expect(chainAlphabet).not.toMatch(/[01ILOU]/);
    const ids = new Set(Array.from({ length: 2000 }, () => newChainId()));
    expect(ids.size).toBeGreaterThan(1990);
    for (const id of ids) expect(looksLikeChainId(id)).toBe(true);
    expect(looksLikeChainId('k7m2qx')).toBe(true);
    expect(looksLikeChainId('K7M2Q0')).toBe(false);
  });
});
