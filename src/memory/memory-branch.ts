import { AgentlogError } from '../domain/errors.ts';
import { sessionIdFor } from '../domain/ids.ts';
import type { Message } from '../domain/message.ts';
import type { Session, SessionPatch } from '../domain/session.ts';
import type { MessageSpan, Store } from '../storage/ports.ts';
import { memorySource, sessionPatch } from './memory-records.ts';
import { memoryMetaOf, type Lineage, type SessionMemoryMeta } from './memory-sessions.ts';

/**
 * What a new branch records: the message it forks at, the session holding that message (the
 * parent itself, or a session the parent shares history with), and the counts reads need. The
 * branch copies nothing; reads stitch (memory-sessions.ts, lineageOf).
 */
export async function branchPatch(
  store: Store,
  lineage: Lineage,
  from: Message,
  name: string,
): Promise<{ patch: SessionPatch; existing: Session | null }> {
  const span = await spanHolding(store, lineage, from);
  const owner =
    span.sessionId === lineage.session.id ? lineage.session : await store.getSession(span.sessionId);
  if (owner === null) throw new AgentlogError('INTERNAL', `Session ${span.sessionId} is gone.`);
  const shared =
    (await store.countSpanMessages({ ...span, upTo: from.id })) + (memoryMetaOf(owner).branch?.shared ?? 0);
  const [newestNote] = await store.spanMessagesDesc(lineage.noteSpans[0]!, { limit: 1, notes: 'only' });
  const branch: NonNullable<SessionMemoryMeta['branch']> = {
    from: lineage.session.id,
    notesUpTo: newestNote?.id ?? 0,
    sessionId: owner.id,
    messageId: from.id,
    order: span.order,
    shared,
  };
  const parent = lineage.session;
  const patch = sessionPatch(name, {
    timestamp: Date.now(),
    meta: { agentlog: { branch } },
    ...(parent.title === null ? {} : { fallbackTitle: parent.title }),
    ...(parent.source === memorySource ? { forkedFromExternalId: parent.externalId } : {}),
  });
  return { patch, existing: await existingBranch(store, owner.projectId, name, branch) };
}

/** The piece of the history holding `message`, or NOT_FOUND when the history does not hold it. */
async function spanHolding(store: Store, lineage: Lineage, message: Message): Promise<MessageSpan> {
  const span = lineage.spans.find((s) => s.sessionId === message.sessionId);
  if (span !== undefined && (await notAfter(store, lineage.session.projectId, span, message))) return span;
  throw new AgentlogError(
    'NOT_FOUND',
    `Message ${message.id} is not in the history of ${lineage.session.id}.`,
    {
      hint: 'Branch from a message that `memory recent` or `memory export` shows for this session.',
    },
  );
}

/** Whether the message comes no later than the span's last message, in the span's order. */
async function notAfter(
  store: Store,
  projectId: number,
  span: MessageSpan,
  message: Message,
): Promise<boolean> {
  if (span.upTo === null) return true;
  if (span.order === 'stored') return message.id <= span.upTo;
  const last = await store.getMessage(projectId, span.upTo);
  if (last === null) return false;
  const key = (m: Message) => [m.timestamp ?? 0, m.seq, m.id] as const;
  const [a, b] = [key(message), key(last)];
  return a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] <= b[2];
}

/** A session of this name: the same branch made again (returned), or CONFLICT. */
async function existingBranch(
  store: Store,
  projectId: number,
  name: string,
  branch: { sessionId: string; messageId: number },
): Promise<Session | null> {
  if (name.startsWith('ses_'))
    throw new AgentlogError('INVALID_ARGUMENT', `"${name}" starts with ses_, which names session ids.`, {
      hint: 'Choose another name.',
    });
  const existing = await store.getSession(sessionIdFor(projectId, memorySource, name));
  if (existing === null) return null;
  const meta = memoryMetaOf(existing).branch;
  if (meta?.sessionId === branch.sessionId && meta.messageId === branch.messageId) return existing;
  throw new AgentlogError('CONFLICT', `A session named "${name}" exists already.`, {
    hint: 'Choose another name for the branch.',
  });
}
