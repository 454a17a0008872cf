import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { projectRoot } from './shared-fixtures.ts';

export type CliResult = { code: number; stdout: string; stderr: string };

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Runs the CLI in this process (fast); the environment is only what `env` gives. */
export async function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(['node', 'agentlog', ...args], { stdout, stderr, env: { TZ: 'UTC', ...env } });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Runs `bin/agentlog.js` in a child process with Node 24 (the one running the tests). */
export function spawnCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(projectRoot, 'bin', 'agentlog.js'), ...args], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH, TZ: 'UTC', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
