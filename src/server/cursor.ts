import { z } from 'zod';
import { AgentlogError } from '../domain/errors.ts';
import type { MessageCursor, SessionCursor } from '../storage/ports.ts';

/** Cursors are opaque to clients: base64url JSON of the last item's order key. */
const sessionCursorSchema = z.object({ s: z.number(), i: z.string() });
const messageCursorSchema = z.object({ t: z.number(), q: z.number(), i: z.number().int() });

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function decode<T>(schema: z.ZodType<T>, text: string): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AgentlogError('INVALID_ARGUMENT', 'The cursor is not valid.', {
      hint: 'Pass the nextCursor of a previous answer unchanged, or leave it out to start at the beginning.',
    });
  }
  return parsed.data;
}

export function encodeSessionCursor(cursor: SessionCursor): string {
  return encode({ s: cursor.startedAt, i: cursor.id });
}

export function decodeSessionCursor(text: string): SessionCursor {
  const { s, i } = decode(sessionCursorSchema, text);
  return { startedAt: s, id: i };
}

export function encodeMessageCursor(cursor: MessageCursor): string {
  return encode({ t: cursor.timestamp, q: cursor.seq, i: cursor.id });
}

export function decodeMessageCursor(text: string): MessageCursor {
  const { t, q, i } = decode(messageCursorSchema, text);
  return { timestamp: t, seq: q, id: i };
}
