import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const here = fileURLToPath(new URL('.', import.meta.url));

/** Runs `bench/support/<script>` in its own Node process and parses the one JSON line it prints. */
export function runLoad<T>(script: string, args: string[]): Promise<T> {
  return startLoad<T>(script, args).result;
}

/** The same, for a load process that runs until told to stop (SIGTERM). */
export function startLoad<T>(script: string, args: string[]): { child: ChildProcess; result: Promise<T> } {
  const child = spawn(process.execPath, [join(here, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const result = new Promise<T>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited with ${code}:\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as T);
    });
  });
  return { child, result };
}

/**
 * CPU time (user + system, ms) a process has used so far, from /proc (Linux; 0 elsewhere). With
 * other work on the machine, CPU per message says more about the server than the wall clock.
 */
export function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in 1/100 s
  } catch {
    return 0;
  }
}

/** CPU time of a process's main thread (its first task), in ms; 0 when it cannot be read. */
export function mainThreadCpuMsOf(pid: number | undefined): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return 0;
  }
}

export type ServerProcess = {
  child: ChildProcess;
  /** The lines of its stderr so far. */
  log(): string;
  /** Resolves with the first match of `pattern` in its stderr; rejects if it exits first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
  /** SIGTERM (a clean stop) or SIGKILL (a crash), then waits for the exit. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<number | null>;
};

/** Starts a long-running process (the agentlog server, the naive baseline) and follows its stderr. */
export function startProcess(argv: string[], env: Record<string, string> = {}): ServerProcess {
  const child = spawn(process.execPath, argv, {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TZ: 'UTC', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const listener of listeners) listener();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    log: () => stderr,
    exited,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(stderr);
          if (match === null) return;
          listeners.delete(check);
          resolve(match);
        };
        listeners.add(check);
        check();
        void exited.then(() => reject(new Error(`process exited before ${pattern}:\n${stderr}`)));
      }),
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** `agentlog serve` over `home`; resolves once it listens, with its URL. */
export async function startAgentlog(
  home: string,
  args: string[] = [],
): Promise<{ server: ServerProcess; url: string }> {
  const server = startProcess(
    [join(projectRoot, 'bin', 'agentlog.js'), '--data-dir', home, 'serve', ...args],
    { AGENTLOG_LOG_LEVEL: 'warn' },
  );
  const [, url] = await server.waitFor(/serving \S+ on (http:\/\/\S+)/);
  return { server, url: url! };
}
