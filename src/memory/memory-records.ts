import type { ApiBlock } from '../domain/api-message.ts';
import { textOf, type Block } from '../domain/blocks.ts';
import type { Message, MessageKind, Role } from '../domain/message.ts';
import type { SessionPatch } from '../domain/session.ts';
import type { CommitItem } from '../ingest/group-commit.ts';
import { contentHash } from '../sources/shared/content-hash.ts';
import type { ParsedRecord } from '../sources/source-format.ts';
import { reservedMetadataKey } from './memory-contract.ts';
import { contentOf, oneLine, renderVersion } from './render.ts';
import { tokenEncoding, type CountTokens } from './token-count.ts';

/**
 * What session memory writes, as the records an importer would produce, so that every write goes
 * through the group committer like any other (ingest/group-commit.ts).
 */
export const memorySource = 'memory';

/** Longer contents are not counted at write: the context window cuts them and counts what is left. */
const maxCountedChars = 200_000;
const countedTag = `${tokenEncoding}:${renderVersion}`;

export function toBlocks(content: string | readonly ApiBlock[]): Block[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map(toBlock);
}

function toBlock(block: ApiBlock): Block {
  const value = block as Record<string, unknown> & { type: string };
  switch (value.type) {
    case 'text':
      return { type: 'text', text: String(value.text) };
    case 'thinking':
      return { type: 'thinking', thinking: String(value.thinking) };
    case 'tool_use':
      return { type: 'tool_use', id: String(value.id), name: String(value.name), input: value.input };
    case 'tool_result': {
      const content = value.content as string | ApiBlock[];
      return {
        type: 'tool_result',
        toolUseId: String(value.toolUseId),
        content: typeof content === 'string' ? content : content.map(toBlock),
        isError: value.isError === true,
      };
    }
    default:
      return { type: 'other', kind: value.type, value };
  }
}

/** The token count of the message's one-line rendering, or null when it is too long to count now. */
export function countContent(blocks: Block[], count: CountTokens): number | null {
  const content = contentOf({ text: textOf(blocks), blocks });
  return content.length > maxCountedChars ? null : count(oneLine(content));
}

/** The cached count, if it was made by this encoding and rendering. */
export function cachedTokens(message: Pick<Message, 'meta'>): number | null {
  const own = message.meta[reservedMetadataKey] as { tokens?: unknown; counted?: unknown } | undefined;
  return own?.counted === countedTag && typeof own.tokens === 'number' ? own.tokens : null;
}

/** The caller's metadata, without agentlog's own fields. */
export function publicMetadata(meta: Record<string, unknown>): Record<string, unknown> {
  if (!(reservedMetadataKey in meta)) return meta;
  const { [reservedMetadataKey]: _own, ...rest } = meta;
  return rest;
}

function metaWith(metadata: Record<string, unknown>, tokens: number | null): Record<string, unknown> {
  return tokens === null ? metadata : { ...metadata, [reservedMetadataKey]: { tokens, counted: countedTag } };
}

/** The patch every write to a memory session carries: it creates the session, `active`, if new. */
export function sessionPatch(
  name: string,
  extra: Omit<SessionPatch, 'source' | 'externalId'> = {},
): SessionPatch {
  return { source: memorySource, externalId: name, status: 'active', ...extra };
}

function record(name: string, type: string, patch: SessionPatch | null): ParsedRecord {
  return {
    recordType: type,
    sessionExternalId: name,
    sessions: patch === null ? [] : [patch],
    message: null,
    usage: null,
    images: [],
    problem: null,
  };
}

export type MessageDraft = {
  session: string;
  externalId: string;
  role: Role;
  kind: MessageKind;
  blocks: Block[];
  agent: string | null;
  metadata: Record<string, unknown>;
  tokens: number | null;
  at: number;
};

/** A new message; `raw` is the request it came from, kept as its raw record. */
export function messageItem(draft: MessageDraft, raw: unknown): CommitItem {
  const text = textOf(draft.blocks);
  const firstWords = draft.role === 'user' && draft.kind === 'message' ? text.trim().slice(0, 80) : '';
  const patch = sessionPatch(draft.session, {
    timestamp: draft.at,
    ...(firstWords.length > 0 ? { fallbackTitle: firstWords } : {}),
  });
  const parsed = record(draft.session, draft.kind, patch);
  parsed.message = {
    source: memorySource,
    sessionExternalId: draft.session,
    externalId: draft.externalId,
    parentExternalId: null,
    role: draft.role,
    kind: draft.kind,
    speaker: draft.agent === null ? null : { name: draft.agent, role: '' },
    blocks: draft.blocks,
    text,
    model: null,
    usage: null,
    responseId: null,
    timestamp: draft.at,
    // Order is the store's (commit order, the message id), not the clock's: see memory-queries.ts.
    seq: 0,
    contentHash: contentHash(draft.role, draft.blocks),
    meta: metaWith(draft.metadata, draft.tokens),
  };
  return { record: parsed, raw: Buffer.from(JSON.stringify(raw)) };
}

/** A new version of a stored message: the writer keeps the old one as a revision. */
export function editItem(
  current: Message,
  session: string,
  blocks: Block[],
  tokens: number | null,
  raw: unknown,
): CommitItem {
  const { id: _id, sessionId: _sessionId, ...kept } = current;
  const parsed = record(session, 'edit', null);
  parsed.message = {
    ...kept,
    sessionExternalId: session,
    blocks,
    text: textOf(blocks),
    contentHash: contentHash(current.role, blocks),
    meta: metaWith(publicMetadata(current.meta), tokens),
    revisable: true,
  };
  return { record: parsed, raw: Buffer.from(JSON.stringify(raw)) };
}

/** A change to the session itself (a branch's lineage, the retention policy). */
export function sessionItem(patch: SessionPatch, raw: unknown): CommitItem {
  return { record: record(patch.externalId, 'session', patch), raw: Buffer.from(JSON.stringify(raw)) };
}
