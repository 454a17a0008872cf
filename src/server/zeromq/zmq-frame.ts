import { apiMessageRecord } from '../../ingest/api-messages.ts';
import type { CommitItem } from '../../ingest/group-commit.ts';
import { looseId } from '../api-ingest.ts';
import { parseApiMessage } from '../parse-api-message.ts';
import { zodReason } from '../zod-reason.ts';
import { isRecordShape, recordToApiMessage, zmqBatchSchema, zmqRecordSchema } from './zmq-contract.ts';

/** One element of a frame that could not be stored, and why. */
export type ElementProblem = { index: number; id: string | null; reason: string };

/** A frame read: the items to commit (with their positions), and the elements refused. */
export type FrameContent = { items: CommitItem[]; rejected: ElementProblem[] };

/** Or the frame as a whole could not be read. */
export type InvalidFrame = { invalid: string };

const openers = new Set([0x7b, 0x5b]); // `{` and `[`

/**
 * The JSON payload of a ZeroMQ message: its last part. Earlier parts, and a `topic ` prefix
 * before the JSON of a single part (as `send_string(f"{topic} {json}")` makes), are PUB/SUB topics.
 */
function payloadOf(parts: readonly Buffer[]): Buffer | null {
  const last = parts.at(-1);
  if (last === undefined || last.byteLength === 0) return null;
  let start = 0;
  while (start < last.byteLength && (last[start] === 0x20 || last[start] === 0x0a)) start++;
  if (!openers.has(last[start] ?? 0)) {
    const space = last.indexOf(0x20, start);
    if (space === -1) return last;
    start = space + 1;
  }
  return start === 0 ? last : last.subarray(start);
}

/** One element (an API message or a record) as a commit item, or why it is refused. */
function itemOf(element: unknown, receivedAt: number, seq: number, raw: Uint8Array): CommitItem | string {
  let candidate = element;
  if (typeof element === 'object' && element !== null && !Array.isArray(element) && isRecordShape(element)) {
    const record = zmqRecordSchema.safeParse(element);
    if (!record.success) return zodReason(record.error);
    const mapped = recordToApiMessage(record.data);
    if ('reason' in mapped) return mapped.reason;
    candidate = mapped.message;
  }
  const parsed = parseApiMessage(candidate);
  if (!parsed.success) return zodReason(parsed.error);
  return { record: apiMessageRecord(parsed.data, receivedAt, seq), raw };
}

function idOf(element: unknown): string | null {
  const id = looseId(element);
  if (id !== null) return id;
  if (typeof element !== 'object' || element === null || !('Id' in element)) return null;
  return typeof element.Id === 'string' || typeof element.Id === 'number' ? String(element.Id) : null;
}

/**
 * Reads one ZeroMQ message: a batch `{messages: [...]}`, an array, or a single message or record.
 * Each element is judged on its own, as over HTTP; only a frame that is not JSON, or not one of
 * those shapes, is invalid as a whole.
 */
export function readFrame(parts: readonly Buffer[], receivedAt: number): FrameContent | InvalidFrame {
  const payload = payloadOf(parts);
  if (payload === null) return { invalid: 'empty frame' };
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    return { invalid: `not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null)
    return { invalid: 'not an object: send a message, a record or {"messages": [...]}' };
  const batch = Array.isArray(value) ? { success: true as const, data: { messages: value } } : null;
  const envelope = batch ?? ('messages' in value ? zmqBatchSchema.safeParse(value) : null);
  if (envelope !== null && !envelope.success) return { invalid: zodReason(envelope.error) };
  const elements = envelope === null ? [value] : envelope.data.messages;
  if (elements.length === 0) return { invalid: 'an empty batch' };

  const single = envelope === null;
  const content: FrameContent = { items: [], rejected: [] };
  elements.forEach((element, index) => {
    const raw = single ? payload : Buffer.from(JSON.stringify(element));
    const item = itemOf(element, receivedAt, index, raw);
    if (typeof item === 'string') content.rejected.push({ index, id: idOf(element), reason: item });
    else content.items.push(item);
  });
  if (single && content.rejected.length === 1) return { invalid: content.rejected[0]!.reason };
  return content;
}
