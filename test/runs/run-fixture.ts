import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CrashReport } from '../../src/runs/crash/crash-report.ts';
import type { RunShowOutput } from '../../src/runs/runs-contract.ts';
import { runCli, type CliResult } from '../support/run-cli.ts';
import { projectRoot } from '../support/shared-fixtures.ts';

/** A user's machine in a temp dir: a home with agent transcripts, a project, agentlog's data dir. */
export type Machine = {
  home: string;
  project: string;
  data: string;
  env: Record<string, string | undefined>;
};

export function makeMachine(root: string): Machine {
  const machine = {
    home: join(root, 'home'),
    project: join(root, 'project'),
    data: join(root, 'data'),
    env: {} as Record<string, string | undefined>,
  };
  mkdirSync(machine.home, { recursive: true });
  mkdirSync(machine.project, { recursive: true });
  machine.env = { HOME: machine.home, PATH: process.env.PATH };
  return machine;
}

/** Copies a training script from test/fixtures/runs/project into the project. */
export function addProjectFile(machine: Machine, name: string, content?: string): string {
  const path = join(machine.project, name);
  writeFileSync(
    path,
    content ?? readFileSync(join(projectRoot, 'test', 'fixtures', 'runs', 'project', name)),
  );
  return path;
}

/** Makes the project a git repository with one commit. */
export function gitInit(dir: string): string {
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      cwd: dir,
      encoding: 'utf8',
    }).trim();
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'start');
  return git('rev-parse', 'HEAD');
}

export type Turn = { role: 'user' | 'assistant'; text: string };

/**
 * A Claude Code transcript of `turns` under the machine's `~/.claude/projects`, its records
 * naming `cwd` as the working directory (as Claude Code writes them).
 */
export function writeClaudeSession(
  machine: Machine,
  sessionId: string,
  cwd: string,
  turns: readonly Turn[],
): string {
  const dir = join(machine.home, '.claude', 'projects', cwd.replace(/[^a-zA-Z0-9]/g, '-'));
  mkdirSync(dir, { recursive: true });
  const start = Date.parse('2026-03-02T10:00:00.000Z');
  let parent: string | null = null;
  const lines = turns.map((turn, i) => {
    const uuid = `${sessionId.slice(0, 8)}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
    const envelope = {
      parentUuid: parent,
      isSidechain: false,
      userType: 'external',
      cwd,
      sessionId,
      version: '2.1.40',
    };
    parent = uuid;
    const timestamp = new Date(start + i * 1000).toISOString();
    if (turn.role === 'user')
      return { ...envelope, type: 'user', message: { role: 'user', content: turn.text }, uuid, timestamp };
    return {
      ...envelope,
      type: 'assistant',
      message: {
        id: `msg_${i}`,
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [{ type: 'text', text: turn.text }],
        usage: { input_tokens: 10, output_tokens: 10 },
      },
      requestId: `req_${i}`,
      uuid,
      timestamp,
    };
  });
  const path = join(dir, `${sessionId}.jsonl`);
  writeFileSync(path, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return path;
}

/** The conversation of the tests: the batch size and the missing module are decided in it. */
export const trainingTurns: Turn[] = [
  { role: 'user', text: 'Set up fine-tuning of the 8B model on our support tickets.' },
  {
    role: 'assistant',
    text: 'I wrote train.py and config.json. I picked batch_size 512 so an epoch finishes tonight.',
  },
  { role: 'user', text: 'Also log the metrics to wandb_tracker, like the last project.' },
  { role: 'assistant', text: 'Done: train.py now imports wandb_tracker and logs every step.' },
  { role: 'user', text: 'What is the capital of Australia?' },
  { role: 'assistant', text: 'Canberra.' },
  { role: 'user', text: 'Good. Launch the training run now.' },
];

export function agentlog(
  machine: Machine,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  return runCli(['--data-dir', machine.data, ...args], { ...machine.env, ...env });
}

/** The chain id `agentlog run` printed. */
export function chainIdOf(stderr: string): string {
  const found = /chain ([2-9A-Z]{6})/.exec(stderr);
  if (!found) throw new Error(`no chain id in:\n${stderr}`);
  return found[1]!;
}

export async function showRun(machine: Machine, ref: string): Promise<RunShowOutput> {
  const shown = await agentlog(machine, ['runs', 'show', ref, '--json']);
  if (shown.code !== 0) throw new Error(shown.stderr);
  return JSON.parse(shown.stdout) as RunShowOutput;
}

export function lastReport(shown: RunShowOutput): CrashReport {
  const report = shown.crashReports.at(-1);
  if (report === undefined) throw new Error('no crash report');
  return report;
}

export type Spawned = {
  pid: number;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once stdout contains `text`. */
  waitFor(text: string): Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** `bin/agentlog.js` in its own process (for signals), with the machine's environment. */
export function spawnAgentlog(machine: Machine, args: string[]): Spawned {
  const child = spawn(
    process.execPath,
    [join(projectRoot, 'bin', 'agentlog.js'), '--data-dir', machine.data, ...args],
    {
      env: { ...machine.env, TZ: 'UTC', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiters.filter((w) => out.includes(w.text))) w.resolve();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    waitFor: (text) =>
      out.includes(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ text, resolve })),
    exit: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal }))),
  };
}
