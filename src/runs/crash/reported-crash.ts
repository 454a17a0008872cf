import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Agentlog } from '../../agentlog.ts';
import { AgentlogError } from '../../domain/errors.ts';
import { findRun } from '../find-run.ts';
import { readTail, tailBytes } from '../log-tail.ts';
import { runKeys } from '../run-keys.ts';
import { reportCrash, type CrashOutcome } from './report-crash.ts';

export type LogReport = {
  /** The chain id (or run id) the crashed job was given in AGENTLOG_CHAIN_ID. */
  ref: string;
  logPath: string;
  exitCode: number | null;
  signal: string | null;
  host: string;
};

export type ReportedCrash = CrashOutcome & { logKey: string | null; warnings: string[] };

/**
 * `crash report --chain ID --log FILE`, from the machine where the job crashed: the log's end
 * is analysed against the conversation captured at launch, and the log is kept with the run.
 */
export async function reportCrashFromLog(agentlog: Agentlog, request: LogReport): Promise<ReportedCrash> {
  const info = await stat(request.logPath).catch(() => null);
  if (info === null || !info.isFile()) {
    throw new AgentlogError('INVALID_ARGUMENT', `No log file at ${request.logPath}.`, {
      hint: 'Give --log the file the job wrote its output to.',
    });
  }
  const run = await findRun(agentlog.store, agentlog.project.id, request.ref);
  const logTail = await readTail(
    createReadStream(request.logPath, { start: Math.max(0, info.size - tailBytes) }),
  );
  const outcome = await reportCrash(agentlog, {
    run,
    trigger: 'reported',
    host: request.host,
    exit: { exitCode: request.exitCode, signal: request.signal },
    logTail,
  });
  const warnings: string[] = [];
  let logKey: string | null = null;
  try {
    logKey = (
      await agentlog.blobs.put(
        runKeys.reportedLog(run.id, outcome.report.id),
        createReadStream(request.logPath),
      )
    ).key;
  } catch (error) {
    warnings.push(`the log was not stored: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { ...outcome, logKey, warnings };
}

/** `crash analyze ID|CHAIN`: analyses a stored run again, from its stored output. */
export async function reanalyzeRun(agentlog: Agentlog, ref: string, host: string): Promise<CrashOutcome> {
  const run = await findRun(agentlog.store, agentlog.project.id, ref);
  const bytes = run.logKey === null ? null : await agentlog.blobs.get(run.logKey);
  const logTail = bytes === null ? '' : await readTail(bytes);
  return reportCrash(agentlog, {
    run,
    trigger: 'reanalyzed',
    host,
    exit: { exitCode: run.exitCode, signal: run.signal },
    logTail,
  });
}
