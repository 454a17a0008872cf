import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';

describe('agentlog report --every', () => {
  const tempDir = useTempDirs();

  it('writes reports on its schedule until SIGTERM, then exits cleanly', async () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    const child = spawn(
      process.execPath,
      [
        join(projectRoot, 'bin', 'agentlog.js'),
        '--data-dir',
        dir,
        'report',
        '--every',
        '1s',
        '--format',
        'json',
        '--out',
        out,
      ],
      { env: { PATH: process.env.PATH, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Two reports written: the schedule ran at least twice (names carry the second).
    while (!(existsSync(out) && readdirSync(out).filter((f) => f.endsWith('.json')).length >= 2)) {
      if (child.exitCode !== null) throw new Error(`exited early: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('a report every 1s');
  });
});
