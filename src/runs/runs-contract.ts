import type { Run } from '../domain/run.ts';
import type { EmailDelivery } from '../notify/send-crash-email.ts';
import type { CrashReport } from './crash/crash-report.ts';

/**
 * The `--json` outputs of `runs list`, `runs show`, `crash report` and `crash analyze`: one
 * file for the contract. Add optional fields; never change or remove one.
 */

/** A run as shown: the stored record plus where its blobs are (paths or URLs). */
export type RunView = Run & { conversationLocation: string | null; logLocation: string | null };

export type RunsListOutput = { runs: Run[] };

export type RunShowOutput = { run: RunView; crashReports: CrashReport[] };

export type CrashOutput = { report: CrashReport; email: EmailDelivery };
