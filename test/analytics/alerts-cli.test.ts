import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { runCli } from '../support/run-cli.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { writeBare } from './seed.ts';

describe('agentlog alerts', () => {
  const tempDir = useTempDirs();

  it('lists the alerts that low-scoring reports raised, newest first', async () => {
    const dir = tempDir();
    const store = new SqliteStore(join(dir, 'agentlog.db'));
    const project = await store.ensureProject('default');
    await writeBare(store, project.id, 'api', [
      { session: 's', id: 'a', role: 'user', text: 'hello', timestamp: Date.UTC(2025, 0, 1) },
      { session: 's', id: 'b', role: 'assistant', text: 'hi', timestamp: Date.UTC(2025, 0, 3) },
    ]);
    await store.close();
    const cli = (...args: string[]) => runCli(['--data-dir', dir, ...args]);

    const none = await cli('alerts');
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/No alert/);

    for (const threshold of ['1', '95', '99']) {
      const report = await cli('report', '--format', 'json', '--alert-below', threshold, '--json');
      expect(report.code, report.stderr).toBe(0);
    }
    const listed = await cli('alerts', 'list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const { alerts } = JSON.parse(listed.stdout) as {
      alerts: { kind: string; threshold: number; value: number; report: string; notifiedAt: null }[];
    };
    expect(alerts.map((a) => a.threshold)).toEqual([99, 95]);
    expect(alerts[0]).toMatchObject({ kind: 'collaboration_score', notifiedAt: null });
    expect(alerts[0]!.value).toBeLessThan(95);
    expect(alerts[0]!.report).toMatch(/analytics_report_\d{8}_\d{6}\.json$/);

    const text = await cli('alerts', '--limit', '1');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/collaboration_score .*below the threshold 99/);
    expect(text.stdout).toMatch(/not e-mailed\n {2}report: .*analytics_report_/);
    expect(text.stdout).not.toMatch(/threshold 95/);

    const bad = await cli('alerts', '--limit', '0');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--limit takes a positive whole number/);
  });
});
