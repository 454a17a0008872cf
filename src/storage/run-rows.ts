import type { GitState, Run, RunStatus, StoredCrashReport } from '../domain/run.ts';

/**
 * The runs and crash_reports tables as both adapters read them. SQLite hands the JSON columns
 * back as text and decodes them first (`decodeRunRow`); pg hands them back parsed.
 */
export type RunRow = {
  id: string;
  chain_id: string;
  project_id: number;
  launch_type: string;
  command: string[];
  cwd: string;
  host: string;
  config_path: string | null;
  git: GitState | null;
  meta: Record<string, string>;
  session_id: string | null;
  conversation_key: string | null;
  log_key: string | null;
  warnings: string[];
  status: string;
  exit_code: number | null;
  signal: string | null;
  started_at: number;
  ended_at: number | null;
};

/** A runs row with its JSON columns as the text SQLite stores. */
export type RunTextRow = Omit<RunRow, 'command' | 'git' | 'meta' | 'warnings'> & {
  command: string;
  git: string | null;
  meta: string;
  warnings: string;
};

export const decodeRunRow = (row: RunTextRow): RunRow => ({
  ...row,
  command: JSON.parse(row.command) as string[],
  git: row.git === null ? null : (JSON.parse(row.git) as GitState),
  meta: JSON.parse(row.meta) as Record<string, string>,
  warnings: JSON.parse(row.warnings) as string[],
});

export const runFromRow = (row: RunRow): Run => ({
  id: row.id,
  chainId: row.chain_id,
  projectId: row.project_id,
  launchType: row.launch_type,
  command: row.command,
  cwd: row.cwd,
  host: row.host,
  configPath: row.config_path,
  git: row.git,
  meta: row.meta,
  sessionId: row.session_id,
  conversationKey: row.conversation_key,
  logKey: row.log_key,
  warnings: row.warnings,
  status: row.status as RunStatus,
  exitCode: row.exit_code,
  signal: row.signal,
  startedAt: row.started_at,
  endedAt: row.ended_at,
});

export type ReportRow = {
  id: string;
  run_id: string;
  created_at: number;
  analyzer: string;
  signature: string;
  json: string;
  markdown: string;
};

export const reportFromRow = (row: ReportRow): StoredCrashReport => ({
  id: row.id,
  runId: row.run_id,
  createdAt: row.created_at,
  analyzer: row.analyzer === 'llm' ? 'llm' : 'builtin',
  signature: row.signature,
  json: row.json,
  markdown: row.markdown,
});
