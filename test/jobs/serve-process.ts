import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../support/shared-fixtures.ts';

/** `agentlog serve` in a child process over `dir`, on a free port. */
export type ServeProcess = {
  child: ChildProcess;
  url: string;
  stderr(): string;
  exited: Promise<number | null>;
};

export async function spawnServe(dir: string): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [join(projectRoot, 'bin', 'agentlog.js'), '--data-dir', dir, 'serve', '--port', '0'],
    {
      cwd: projectRoot,
      env: { PATH: process.env.PATH, TZ: 'UTC', NO_COLOR: '1', HOME: dir, AGENTLOG_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /serving \S+ on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (match !== null) resolve(match[1]!);
    });
    void exited.then(() => reject(new Error(`agentlog serve exited:\n${stderr}`)));
  });
  return { child, url, stderr: () => stderr, exited };
}

/** Asks `check` again (every 50 ms, at most `tries` times) until it holds. */
export async function eventually(check: () => Promise<boolean>, tries = 400): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the condition never held');
}
