import { expect, it } from 'vitest';
import type { NewRun } from '../../src/domain/run.ts';
import type { Store } from '../../src/storage/ports.ts';

/** The runs part of the Store port, for every adapter; `open` gives a fresh, empty store. */
export function runStoreContract(open: () => Promise<Store>): void {
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
    const store = await open();
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
}
