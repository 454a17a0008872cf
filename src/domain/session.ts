export const sessionStatuses = [
  'active',
  'stopped',
  'processing',
  'completed',
  'failed',
  'imported',
] as const;
export type SessionStatus = (typeof sessionStatuses)[number];

/** A conversation as stored. `id` is ours; `externalId` is the source's own id. */
export type Session = {
  id: string;
  projectId: number;
  source: string;
  externalId: string;
  parentSessionId: string | null;
  parentToolCallId: string | null;
  agentId: string | null;
  forkedFromSessionId: string | null;
  title: string | null;
  cwd: string | null;
  gitBranch: string | null;
  models: string[];
  agentVersion: string | null;
  startedAt: number | null;
  endedAt: number | null;
  status: SessionStatus;
  messageCount: number;
  meta: Record<string, unknown>;
};

/**
 * What a source knows about a session from the records it has read so far. Writers merge patches:
 * a field given here fills or widens what is stored, a field left out keeps what is there.
 */
export type SessionPatch = {
  source: string;
  externalId: string;
  parentExternalId?: string;
  parentToolCallId?: string;
  agentId?: string;
  /** The session this one was forked from, when the source names it (Codex `forked_from_id`). */
  forkedFromExternalId?: string;
  title?: string;
  /** A title that only counts when no better one is known (first prompt, summary line). */
  fallbackTitle?: string;
  cwd?: string;
  gitBranch?: string;
  model?: string;
  agentVersion?: string;
  timestamp?: number;
  meta?: Record<string, unknown>;
  /** The status of a session this patch creates (default `imported`); an existing session keeps its own. */
  status?: SessionStatus;
};
