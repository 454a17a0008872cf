import type { SessionPatch } from '../../domain/session.ts';
import type { ParsedRecord } from '../source-format.ts';
import type { GeminiMessage } from './message.ts';
import { messagePatch } from './session.ts';

export function emptyRecord(
  recordType: string,
  session: string | null,
  sessions: SessionPatch[] = [],
): ParsedRecord {
  return {
    recordType,
    sessionExternalId: session,
    sessions,
    message: null,
    usage: null,
    images: [],
    problem: null,
  };
}

export function problemRecord(recordType: string, session: string | null, reason: string): ParsedRecord {
  return { ...emptyRecord(recordType, session), problem: reason };
}

export function messageRecord(recordType: string, converted: GeminiMessage): ParsedRecord {
  const session = converted.message.sessionExternalId;
  return {
    recordType,
    sessionExternalId: session,
    sessions: [messagePatch(session, converted)],
    message: converted.message,
    usage: converted.usage,
    images: converted.images,
    problem: null,
  };
}
