import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { constants } from 'node:os';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** Where the launcher hears signals sent to agentlog, to pass them on to the command. */
export type SignalSource = { subscribe(forward: (signal: NodeJS.Signals) => void): () => void };

export type LaunchOptions = {
  command: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: Writable;
  stderr: Writable;
  /** A local file that receives a copy of everything the command writes. */
  logPath: string;
  signals?: SignalSource;
};

export type LaunchResult =
  | { started: true; exitCode: number; signal: NodeJS.Signals | null; logProblem: string | null }
  /** The command could not be started: 127 when it does not exist, 126 when it cannot be run (as a shell says). */
  | { started: false; exitCode: 126 | 127; reason: string };

/** The exit code a shell reports for a command ended by `signal`: 128 + its number. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

/**
 * Runs the command with its output passed through to ours and copied to the log, signals sent to
 * us passed on to it, and resolves when it has exited and its output is all written.
 */
export async function launchCommand(options: LaunchOptions): Promise<LaunchResult> {
  const [file, ...args] = options.command;
  const log = createWriteStream(options.logPath);
  // A log that cannot be written costs the copy, never the run.
  let logProblem: string | null = null;
  log.on('error', (error) => (logProblem ??= error.message));
  const child = spawn(file!, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['inherit', 'pipe', 'pipe'],
  });
  const unsubscribe = options.signals?.subscribe((signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
  // Both streams feed one log; it is closed only after both have ended.
  child.stdout.pipe(options.stdout, { end: false });
  child.stderr.pipe(options.stderr, { end: false });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  try {
    const result = await new Promise<LaunchResult>((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        if (child.pid !== undefined) return;
        resolve(notStarted(file!, error));
      });
      child.once('close', (code, signal) => {
        if (child.pid === undefined) return;
        resolve({
          started: true,
          exitCode: signal ? signalExitCode(signal) : (code ?? 1),
          signal,
          logProblem,
        });
      });
    });
    return result;
  } finally {
    unsubscribe?.();
    log.end();
    await finished(log).catch(() => {});
  }
}

function notStarted(file: string, error: NodeJS.ErrnoException): LaunchResult {
  if (error.code === 'ENOENT') return { started: false, exitCode: 127, reason: `command not found: ${file}` };
  if (error.code === 'EACCES' || error.code === 'EISDIR')
    return { started: false, exitCode: 126, reason: `permission denied: ${file}` };
  return { started: false, exitCode: 126, reason: `cannot run ${file}: ${error.message}` };
}
