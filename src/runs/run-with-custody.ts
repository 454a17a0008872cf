import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Agentlog } from '../agentlog.ts';
import { AgentlogError } from '../domain/errors.ts';
import type { Run, RunOutcome } from '../domain/run.ts';
import type { SourceEnv } from '../sources/source-format.ts';
import { newChainId } from './chain-id.ts';
import { reportCrash, type CrashOutcome } from './crash/report-crash.ts';
import { launchCommand, type LaunchResult, type SignalSource } from './launch-command.ts';
import { readTail, tailBytes } from './log-tail.ts';
import { prepareRun, type LaunchRecord } from './prepare-run.ts';
import { runKeys } from './run-keys.ts';
import { newRunId } from './run-ids.ts';

export type RunRequest = {
  command: string[];
  cwd: string;
  launchType: string;
  runId: string | undefined;
  sessionRef: string | undefined;
  configPath: string | undefined;
  meta: Record<string, string>;
  host: string;
  /** The command's environment (agentlog adds AGENTLOG_RUN_ID and AGENTLOG_CHAIN_ID). */
  env: Record<string, string | undefined>;
  /** Where the agents keep their transcripts (home and variables). */
  sourceEnv: SourceEnv;
  /** Where the copy of the output is kept until it is stored. */
  tmpDir: string;
  stdout: Writable;
  stderr: Writable;
  signals?: SignalSource;
};

export type RunResult = {
  runId: string;
  chainId: string;
  /** The run is in the store (false when the store could not be opened). */
  recorded: boolean;
  launch: LaunchResult;
  run: Run | null;
  crash: CrashOutcome | null;
  warnings: string[];
};

/**
 * `agentlog run`: records the run and its chain of custody (conversation, git, config, command),
 * runs the command with its output passed through, stores the output, and analyses a crash.
 * Nothing agentlog fails to do stops the command: each failure becomes a warning on stderr.
 * `open` builds agentlog; when it fails the command still runs, unrecorded.
 */
export async function runWithCustody(open: () => Promise<Agentlog>, request: RunRequest): Promise<RunResult> {
  const warn = (text: string) => request.stderr.write(`agentlog: warning: ${text}\n`);
  let agentlog: Agentlog | null = null;
  try {
    agentlog = await open();
  } catch (error) {
    warn(`the run is not recorded: ${message(error)}; the command runs anyway.`);
  }
  try {
    const record = await prepare(agentlog, request, warn);
    return await launchAndFinish(record.run === null ? null : agentlog, request, record, warn);
  } finally {
    await agentlog?.close();
  }
}

async function prepare(
  agentlog: Agentlog | null,
  request: RunRequest,
  warn: (text: string) => void,
): Promise<LaunchRecord> {
  const unrecorded = { run: null, runId: request.runId ?? newRunId(), chainId: newChainId(), warnings: [] };
  if (agentlog === null) return unrecorded;
  try {
    return await prepareRun(agentlog, request, warn);
  } catch (error) {
    // A run id the user gave that is taken is their mistake to fix; anything else must not stop the run.
    if (error instanceof AgentlogError && error.code === 'CONFLICT') throw error;
    warn(`the run is not recorded: ${message(error)}; the command runs anyway.`);
    return unrecorded;
  }
}

async function launchAndFinish(
  agentlog: Agentlog | null,
  request: RunRequest,
  record: LaunchRecord,
  warn: (text: string) => void,
): Promise<RunResult> {
  const logPath = join(request.tmpDir, `agentlog-${record.runId}-${process.pid}.log`);
  const launch = await launchCommand({
    command: request.command,
    cwd: request.cwd,
    env: { ...request.env, AGENTLOG_RUN_ID: record.runId, AGENTLOG_CHAIN_ID: record.chainId },
    stdout: request.stdout,
    stderr: request.stderr,
    logPath,
    ...(request.signals ? { signals: request.signals } : {}),
  });
  if (!launch.started) request.stderr.write(`agentlog: ${launch.reason}\n`);
  else if (launch.logProblem !== null)
    warn(`the output could not be copied to ${logPath}: ${launch.logProblem}`);
  const base = { runId: record.runId, chainId: record.chainId, launch, warnings: record.warnings };
  try {
    if (agentlog === null || record.run === null) return { ...base, recorded: false, run: null, crash: null };
    const run = await finishRun(agentlog, record.run, launch, logPath, warn);
    // A command that never started has nothing to analyse: the reason was printed above.
    const crash =
      !launch.started || launch.exitCode === 0
        ? null
        : await analyze(agentlog, run, launch, logPath, request);
    return { ...base, recorded: true, run, crash };
  } finally {
    await rm(logPath, { force: true });
  }
}

async function finishRun(
  agentlog: Agentlog,
  run: Run,
  launch: LaunchResult,
  logPath: string,
  warn: (text: string) => void,
): Promise<Run> {
  let logKey: string | null = null;
  if (launch.started && (await stat(logPath).catch(() => null)) !== null) {
    try {
      logKey = (await agentlog.blobs.put(runKeys.log(run.id), createReadStream(logPath))).key;
    } catch (error) {
      warn(`the output was not stored: ${message(error)}`);
    }
  }
  const outcome: RunOutcome = {
    status: !launch.started
      ? 'not-started'
      : launch.signal !== null
        ? 'signaled'
        : launch.exitCode === 0
          ? 'succeeded'
          : 'failed',
    exitCode: launch.exitCode,
    signal: launch.started ? launch.signal : null,
    endedAt: Date.now(),
    logKey,
  };
  return (await agentlog.store.finishRun(run.id, outcome)) ?? { ...run, ...outcome };
}

async function analyze(
  agentlog: Agentlog,
  run: Run,
  launch: Extract<LaunchResult, { started: true }>,
  logPath: string,
  request: RunRequest,
): Promise<CrashOutcome | null> {
  const exitText =
    launch.signal !== null ? `was killed by ${launch.signal}` : `exited with code ${launch.exitCode}`;
  request.stderr.write(
    `agentlog: run ${run.id} (chain ${run.chainId}) ${exitText}; analysing the crash...\n`,
  );
  try {
    const size = (await stat(logPath).catch(() => null))?.size ?? 0;
    const logTail =
      size === 0 ? '' : await readTail(createReadStream(logPath, { start: Math.max(0, size - tailBytes) }));
    return await reportCrash(agentlog, {
      run,
      trigger: 'exit',
      host: request.host,
      exit: { exitCode: launch.exitCode, signal: launch.signal },
      logTail,
    });
  } catch (error) {
    request.stderr.write(`agentlog: warning: the crash could not be analysed: ${message(error)}\n`);
    return null;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
