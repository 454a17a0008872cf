import type { RuleMatch } from './error-rules.ts';
import type { ErrorSignature } from './extract-error.ts';
import type { Excerpt } from './rank-excerpts.ts';

export const crashReportFormat = 'agentlog-crash-report/1';

/** What started the analysis: the run's own exit, `crash report` from elsewhere, or `crash analyze`. */
export type CrashTrigger = 'exit' | 'reported' | 'reanalyzed';

/** A decision in the conversation that led to the crash, as the model names it. */
export type Decision = {
  /** The excerpt (`[#n]`) it refers to, and that excerpt's message id; null when none is named. */
  excerpt: number | null;
  messageId: number | null;
  what: string;
  effect: string | null;
};

export type ModelAnalysis = {
  provider: string;
  model: string;
  rootCause: string;
  decisions: Decision[];
  fix: string;
  confidence: 'high' | 'medium' | 'low' | null;
};

/**
 * A crash report: the JSON stored with the run, printed by `--json` and e-mailed as an
 * attachment. The one wire contract of crash analysis; add optional fields, never change one.
 */
export type CrashReport = {
  format: typeof crashReportFormat;
  id: string;
  runId: string;
  chainId: string;
  createdAt: string;
  trigger: CrashTrigger;
  /** The machine the analysed log came from. */
  host: string;
  command: string[];
  exit: { code: number | null; signal: string | null };
  error: ErrorSignature;
  /** The built-in rule table's reading: always present, model or not. */
  likelyCauses: RuleMatch[];
  /** The model's reading; null when no model is configured or it failed (see providerError). */
  analysis: ModelAnalysis | null;
  providerError: string | null;
  /** The conversation turns judged most related to the crash. */
  excerpts: Excerpt[];
  logTail: string;
  conversation: { key: string | null; sessionId: string | null; problem: string | null };
  config: { path: string | null; included: boolean };
  /** Tokens of the prompt sent to the model (null when none was sent). */
  promptTokens: number | null;
};
