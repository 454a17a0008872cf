import { createHash } from 'node:crypto';
import type { Session } from '../../domain/session.ts';
import type { Store, TrainingMessage } from '../../storage/ports.ts';
import { currentThread } from '../current-thread.ts';

/** A session as a build reads it: its messages, where they came from, and what they hash to. */
export type SessionInput = {
  session: Session;
  messages: TrainingMessage[];
  /** sha256 over the messages' ids and content hashes, in order (the manifest's input record). */
  sha256: string;
  /** The assistant's speaker name when it has one (API sessions), else the source (the agent program). */
  agent: string;
  domain: string | null;
  tier: string | null;
};

/** Reads one session whole (one at a time: a build holds a single session's messages). */
export async function readSession(store: Store, sessionId: string): Promise<SessionInput | null> {
  const session = await store.getSession(sessionId);
  if (session === null) return null;
  const messages = await currentThread(store, session, await store.trainingMessages(sessionId));
  let inputs = '';
  let speaker: string | null = null;
  for (const message of messages) {
    inputs += `${message.id}\u0000${message.contentHash}\n`;
    if (speaker === null && message.role === 'assistant' && message.speaker !== null)
      speaker = message.speaker.name;
  }
  const labels = await store.sessionTopLabels(sessionId, ['domain', 'tier']);
  return {
    session,
    messages,
    sha256: createHash('sha256').update(inputs).digest('hex'),
    agent: speaker ?? session.source,
    domain: labels.domain ?? null,
    tier: labels.tier ?? null,
  };
}
