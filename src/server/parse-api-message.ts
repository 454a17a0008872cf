import type { z } from 'zod';
import { apiMessageSchema, type ApiMessage } from '../domain/api-message.ts';
import { roles } from '../domain/message.ts';

/**
 * `apiMessageSchema.safeParse` with a fast path: a message of the common shape (text content,
 * epoch-ms timestamp, no unknown keys) is checked field by field, about 4× cheaper than the
 * schema; anything else (blocks, ISO times, extra keys, any invalid value) goes to the schema,
 * which stays the one definition and gives the error messages. The fast path accepts only what
 * the schema accepts, with the same result (a test holds them equal).
 */
export function parseApiMessage(value: unknown): z.ZodSafeParseResult<ApiMessage> {
  const fast = commonMessage(value);
  return fast === null ? apiMessageSchema.safeParse(value) : { success: true, data: fast };
}

const knownKeys = new Set(['id', 'session', 'role', 'speaker', 'content', 'timestamp', 'model', 'metadata']);
const roleSet: ReadonlySet<unknown> = new Set(roles);
const maxId = 512;

/** The fast path alone: the message, or null when the schema must decide. */
export function commonMessage(value: unknown): ApiMessage | null {
  if (!isPlainObject(value)) return null;
  for (const key in value) if (!knownKeys.has(key)) return null;
  const { id, session, role, speaker, content, timestamp, model, metadata } = value;
  if (!isId(id) || !isId(session) || !roleSet.has(role) || typeof content !== 'string') return null;
  const message: ApiMessage = { id, session, role: role as ApiMessage['role'], content };
  if (speaker !== undefined) {
    if (!isSpeaker(speaker)) return null;
    message.speaker = { name: speaker.name, role: speaker.role };
  }
  if (timestamp !== undefined) {
    if (!Number.isSafeInteger(timestamp) || (timestamp as number) < 0) return null;
    message.timestamp = timestamp as number;
  }
  if (model !== undefined) {
    if (!isId(model)) return null;
    message.model = model;
  }
  if (metadata !== undefined) {
    if (!isPlainObject(metadata)) return null;
    message.metadata = metadata;
  }
  return message;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A non-empty string of at most 512 characters (UTF-16 units, as zod counts). */
function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= maxId;
}

function isSpeaker(value: unknown): value is { name: string; role: string } {
  if (!isPlainObject(value)) return false;
  for (const key in value) if (key !== 'name' && key !== 'role') return false;
  return isId(value.name) && typeof value.role === 'string' && value.role.length <= maxId;
}
