/**
 * How a launched command ended. `running` until it exits; `not-started` when it could not be
 * started (no such command); `signaled` when a signal ended it.
 */
export const runStatuses = ['running', 'succeeded', 'failed', 'signaled', 'not-started'] as const;
export type RunStatus = (typeof runStatuses)[number];

export type GitState = { commit: string; branch: string | null; dirty: boolean };

/**
 * One launch of a command under `agentlog run`. `chainId` is the short chain-of-custody id that
 * links the conversation, the run and any crash report; unique across the store.
 */
export type Run = {
  id: string;
  chainId: string;
  projectId: number;
  launchType: string;
  command: string[];
  cwd: string;
  host: string;
  configPath: string | null;
  git: GitState | null;
  meta: Record<string, string>;
  /** The conversation captured at launch: our session id and where its copy went. */
  sessionId: string | null;
  conversationKey: string | null;
  /** The blob key of the command's output, once stored. */
  logKey: string | null;
  /** Why something was not captured (no transcript, blob store not writable, ...). */
  warnings: string[];
  status: RunStatus;
  exitCode: number | null;
  signal: string | null;
  startedAt: number;
  endedAt: number | null;
};

/** What is known when a run starts; the store fills the outcome fields. */
export type NewRun = Omit<Run, 'status' | 'exitCode' | 'signal' | 'endedAt' | 'logKey'>;

/** How a run ended, recorded once its command exits. */
export type RunOutcome = {
  status: Exclude<RunStatus, 'running'>;
  exitCode: number | null;
  signal: string | null;
  endedAt: number;
  logKey: string | null;
};

/** Fields set after the launch, when the conversation capture finishes. */
export type RunCapture = {
  sessionId: string | null;
  conversationKey: string | null;
  warnings: string[];
};

/** A stored crash report: the JSON document and its Markdown rendering. */
export type StoredCrashReport = {
  id: string;
  runId: string;
  createdAt: number;
  /** `llm` when a model answered, `builtin` otherwise. */
  analyzer: 'llm' | 'builtin';
  /** The one-line error signature, for listings. */
  signature: string;
  json: string;
  markdown: string;
};
