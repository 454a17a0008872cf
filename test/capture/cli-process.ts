import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { WatchEvent } from '../../src/capture/watch-events.ts';
import { projectRoot } from '../support/shared-fixtures.ts';

const agentlogBin = join(projectRoot, 'bin', 'agentlog.js');

/** `agentlog watch --json` in a child process, with its events as they arrive. */
export type WatchProcess = {
  events: WatchEvent[];
  stderr: () => string;
  /** Resolves with the first event (already seen or still to come) that `match` accepts. */
  waitFor(match: (event: WatchEvent) => boolean, what: string): Promise<WatchEvent>;
  /** Sends the signal and resolves with the exit code (null when killed by a signal). */
  stop(signal: NodeJS.Signals): Promise<number | null>;
};

const waitLimitMs = 20_000;

export function startWatch(args: string[], env: Record<string, string>): WatchProcess {
  const child = spawn(process.execPath, [agentlogBin, ...args], {
    env: { PATH: process.env.PATH, TZ: 'UTC', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: WatchEvent[] = [];
  const waiters = new Set<() => void>();
  let stdout = '';
  let stderr = '';
  let exit: Promise<number | null> | null = null;
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    let newline = stdout.indexOf('\n');
    while (newline !== -1) {
      events.push(JSON.parse(stdout.slice(0, newline)) as WatchEvent);
      stdout = stdout.slice(newline + 1);
      newline = stdout.indexOf('\n');
    }
    for (const wake of waiters) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    events,
    stderr: () => stderr,
    waitFor(match, what) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (found === undefined) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`watch: no event "${what}" within ${waitLimitMs} ms; stderr:\n${stderr}`));
        }, waitLimitMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    stop(signal) {
      exit ??= (child.kill(signal), exited);
      return exit;
    },
  };
}

/** Runs `agentlog ...` in a child process with `input` on stdin. */
export function runWithInput(
  args: string[],
  input: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runShell([process.execPath, agentlogBin, ...args], input, env);
}

/** Runs a command line (as an agent runs a hook command) through `sh -c`, with `input` on stdin. */
export function runShellCommand(command: string, input: string, env: Record<string, string>) {
  return runShell(['/bin/sh', '-c', command], input, env);
}

function runShell(argv: string[], input: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const [program, ...args] = argv as [string, ...string[]];
    const child = spawn(program, args, {
      env: { PATH: process.env.PATH, TZ: 'UTC', NO_COLOR: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
