import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = join(fileURLToPath(new URL('.', import.meta.url)), 'measured-cli.js');

export type Measured = { wallMs: number; cpuMs: number; maxRssMb: number; stdout: string };

/** Runs `agentlog <args>` in a fresh Node process; wall time includes Node's start, as a user sees it. */
export function spawnMeasured(args: string[], env: Record<string, string> = {}): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let report = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdio[3]!.on('data', (d: Buffer) => (report += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`agentlog ${args.join(' ')} exited with ${code}:\n${stderr}`));
      const { maxRssKb, cpuUs } = JSON.parse(report) as { maxRssKb: number; cpuUs: number };
      resolve({ wallMs, cpuMs: cpuUs / 1000, maxRssMb: maxRssKb / 1024, stdout });
    });
  });
}
