import { z } from 'zod';
import { AgentlogError } from '../domain/errors.ts';
import { sessionIdFor } from '../domain/ids.ts';
import type { Session } from '../domain/session.ts';
import type { MessageSpan, Store } from '../storage/ports.ts';
import { reservedMetadataKey, type MemorySession } from './memory-contract.ts';
import { memorySource } from './memory-records.ts';

/**
 * Which session a reference names, and what its history is made of. A branch stores no copy of
 * the history it shares: its session records the message it forked at (and the session holding
 * that message), and reads stitch that session's messages up to it before the branch's own.
 */

/** What session memory keeps in a session's meta, under `agentlog`. */
const sessionMemoryMeta = z.object({
  keepLast: z.number().int().min(1).optional(),
  branch: z
    .object({
      /** The session the branch was made from (as the caller named it). */
      from: z.string(),
      /** The session holding the fork message: from itself, or a session it shares history with. */
      sessionId: z.string(),
      messageId: z.number().int(),
      order: z.enum(['stored', 'conversation']),
      /** History messages shared, up to and including the fork message (pinned notes not counted). */
      shared: z.number().int(),
      /** The newest note pinned to `from` itself when the branch was made: the branch keeps those. */
      notesUpTo: z.number().int(),
    })
    .optional(),
});
export type SessionMemoryMeta = z.infer<typeof sessionMemoryMeta>;

const noMeta: SessionMemoryMeta = Object.freeze({});

export function memoryMetaOf(session: Session): SessionMemoryMeta {
  const own = session.meta[reservedMetadataKey];
  if (own === undefined) return noMeta; // most sessions: no policy, not a branch
  const parsed = sessionMemoryMeta.safeParse(own);
  return parsed.success ? parsed.data : {};
}

/** Memory sessions are read in commit order; any other session in its conversation (time) order. */
export function orderOf(session: Session): MessageSpan['order'] {
  return session.source === memorySource ? 'stored' : 'conversation';
}

/** A session of the project by our id (`ses_…`), else a memory session by its name. */
export async function findSession(store: Store, projectId: number, ref: string): Promise<Session | null> {
  if (ref.startsWith('ses_')) {
    const byId = await store.getSession(ref);
    if (byId !== null && byId.projectId === projectId) return byId;
  }
  return store.getSession(sessionIdFor(projectId, memorySource, ref));
}

export async function requireSession(store: Store, projectId: number, ref: string): Promise<Session> {
  const session = await findSession(store, projectId, ref);
  if (session !== null) return session;
  throw new AgentlogError('NOT_FOUND', `No session "${ref}".`, {
    hint: 'Adding a message creates a memory session; other sessions are named by their id (ses_…, see `agentlog sessions list`).',
  });
}

/** Memory writes only to its own sessions: an imported transcript is a record of what happened. */
export function requireMemorySession(session: Session): void {
  if (session.source === memorySource) return;
  throw new AgentlogError(
    'CONFLICT',
    `Session ${session.id} came from ${session.source}; memory writes only to memory sessions.`,
    { hint: 'Branch it (memory branch) and write to the branch.' },
  );
}

export type Lineage = {
  session: Session;
  /** Newest first: the session's own messages, then each piece of history it shares. */
  spans: MessageSpan[];
  /**
   * Where its pinned notes are: its own, then those of the session it was branched from (as they
   * were when it was made), and so on. Notes are facts about the conversation, not turns of it,
   * so a branch keeps its parent's notes wherever it forked.
   */
  noteSpans: MessageSpan[];
  /** History messages shared with the sessions it branched from. */
  shared: number;
  /** The hot window: how many of the newest history messages memory reads; null for all. */
  keepLast: number | null;
};

/** Deep enough for any real chain of branches; a longer one means the metadata was tampered with. */
const maxDepth = 10_000;

export async function lineageOf(store: Store, session: Session): Promise<Lineage> {
  const meta = memoryMetaOf(session);
  const own: MessageSpan = { sessionId: session.id, upTo: null, order: orderOf(session) };
  return {
    session,
    spans: await chain(store, session, own, (b) => ({
      sessionId: b.sessionId,
      upTo: b.messageId,
      order: b.order,
    })),
    noteSpans: await chain(store, session, own, (b) => ({
      sessionId: b.from,
      upTo: b.notesUpTo,
      order: 'stored',
    })),
    shared: meta.branch?.shared ?? 0,
    keepLast: meta.keepLast ?? null,
  };
}

type Branch = NonNullable<SessionMemoryMeta['branch']>;

/** Spans from a session back along its branches, each step named by `step` (no session twice). */
async function chain(
  store: Store,
  start: Session,
  first: MessageSpan,
  step: (branch: Branch) => MessageSpan,
): Promise<MessageSpan[]> {
  const spans = [first];
  const seen = new Set([first.sessionId]);
  let session: Session | null = start;
  while (session !== null && spans.length < maxDepth) {
    const branch = memoryMetaOf(session).branch;
    if (branch === undefined) break;
    const next = step(branch);
    if (seen.has(next.sessionId)) break;
    seen.add(next.sessionId);
    spans.push(next);
    session = await store.getSession(next.sessionId);
  }
  return spans;
}

export function toMemorySession(session: Session): MemorySession {
  const meta = memoryMetaOf(session);
  return {
    id: session.id,
    name: session.externalId,
    source: session.source,
    title: session.title,
    status: session.status,
    messageCount: session.messageCount,
    createdAt: session.startedAt,
    branchOf:
      meta.branch === undefined ? null : { sessionId: meta.branch.from, messageId: meta.branch.messageId },
    retention: { keepLast: meta.keepLast ?? null },
  };
}
