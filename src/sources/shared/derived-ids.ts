import { createHash } from 'node:crypto';
import { basename } from 'node:path';

/**
 * The session id of a conversation in a chat log that carries no ids of its own: the file's name,
 * the conversation's position in it and a hash of its content. Importing the file again (or a copy
 * of it elsewhere) gives the same ids; a conversation edited in place becomes a new session.
 */
export function derivedSessionId(file: string, position: number, value: unknown): string {
  const hash = createHash('sha256')
    .update(JSON.stringify(value) ?? '')
    .digest('hex')
    .slice(0, 12);
  return `${basename(file)}:${position}:${hash}`;
}

/** A message of such a conversation: its session and its place in the conversation. */
export function derivedMessageId(sessionExternalId: string, index: number | string): string {
  return `${sessionExternalId}#${index}`;
}
