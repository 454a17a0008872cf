import type { GitState } from '../domain/run.ts';

export const metadataFormat = 'agentlog-run-metadata/1';

/** The config file given with `--config`, copied as it was at launch. */
export type ConfigCopy = {
  path: string;
  /** The file's text; null when it could not be read (`problem` says why). */
  content: string | null;
  /** True when the file was longer than what was kept. */
  truncated: boolean;
  problem: string | null;
};

/**
 * `metadata.json`, written beside `conversation.json`: everything known about a launch. The
 * wire contract of that file; add optional fields, never change or remove one.
 */
export type RunMetadata = {
  format: typeof metadataFormat;
  runId: string;
  chainId: string;
  launchType: string;
  launchedAt: string;
  cwd: string;
  host: string;
  command: string[];
  git: GitState | null;
  config: ConfigCopy | null;
  meta: Record<string, string>;
  conversation: {
    sessionId: string;
    source: string;
    externalId: string;
    transcript: string | null;
    /** The blob key of conversation.json; null when the copy could not be written. */
    key: string | null;
  } | null;
  warnings: string[];
};
