import type { Block } from './blocks.ts';
import type { Usage } from './usage.ts';

export const roles = ['user', 'assistant', 'system', 'tool'] as const;
export type Role = (typeof roles)[number];

/**
 * What kind of entry a message is, beyond its role: a compaction summary is a user message the
 * human never typed, an API error is an assistant message no model wrote.
 */
export const messageKinds = [
  'message',
  'tool_result',
  'meta',
  'compact_summary',
  'compact_boundary',
  'api_error',
  'command',
  'event',
  /** A note pinned to a memory session: always part of its context window (src/memory). */
  'note',
] as const;
export type MessageKind = (typeof messageKinds)[number];

export type Speaker = { name: string; role: string };

/** A normalised message, ready to be written. `externalId` is the natural key within its source. */
export type MessageInput = {
  source: string;
  sessionExternalId: string;
  externalId: string;
  parentExternalId: string | null;
  role: Role;
  kind: MessageKind;
  speaker: Speaker | null;
  blocks: Block[];
  text: string;
  model: string | null;
  usage: Usage | null;
  /** Groups the records of one model response (Claude writes one line per content block). */
  responseId: string | null;
  timestamp: number | null;
  /** Position in the source file, used to keep order when timestamps tie. */
  seq: number;
  contentHash: string;
  meta: Record<string, unknown>;
  /**
   * Set by sources that re-deliver a message after it changed (Gemini CLI rewrites a message when
   * its tool results arrive): a new version replaces the stored one, whose old version is kept as
   * a revision. Without it the first copy stored wins and later copies are duplicates.
   */
  revisable?: boolean;
};

export type Message = Omit<MessageInput, 'sessionExternalId'> & {
  id: number;
  sessionId: string;
};
