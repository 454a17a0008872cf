import type { Block } from '../../domain/blocks.ts';
import type { ParsedImage } from '../source-format.ts';
import { isObj, optString, type Obj } from '../shared/fields.ts';
import { contentBlocks } from './blocks.ts';
import { isContextual, type Draft } from './items.ts';
import { contextualEventKinds, timelineEvents } from './schema.ts';

/** The UI's copy of a user prompt; kept only when no response_item carries it (see mirror.ts). */
export function userMessageDraft(p: Obj, images: ParsedImage[]): Draft {
  const text = optString(p, 'message', 'payload.message') ?? '';
  const blocks: Block[] = text.length > 0 ? [{ type: 'text', text }] : [];
  const urls = Array.isArray(p.images) ? p.images.filter((u): u is string => typeof u === 'string') : [];
  blocks.push(
    ...contentBlocks(
      urls.map((image_url) => ({ type: 'input_image', image_url })),
      'payload.images',
      images,
    ),
  );
  const meta: Record<string, unknown> = { record: 'event_msg' };
  if (Array.isArray(p.local_images) && p.local_images.length > 0) meta.localImages = p.local_images;
  const kind = optString(p, 'kind', 'payload.kind');
  if (kind !== undefined) meta.eventKind = kind;
  const injected = (kind !== undefined && contextualEventKinds.has(kind)) || isContextual(text);
  return { role: 'user', kind: injected ? 'meta' : 'message', blocks, meta };
}

/** The UI's copy of an assistant reply (see mirror.ts). */
export function agentMessageDraft(p: Obj): Draft {
  const text = optString(p, 'message', 'payload.message') ?? '';
  const meta: Record<string, unknown> = { record: 'event_msg' };
  const phase = optString(p, 'phase', 'payload.phase');
  if (phase !== undefined) meta.phase = phase;
  return {
    role: 'assistant',
    kind: 'message',
    blocks: text.length > 0 ? [{ type: 'text', text }] : [],
    meta,
    byModel: true,
  };
}

/** Events that are part of the story (a compaction, an abort, a rollback, an error); null for the rest. */
export function timelineDraft(type: string, p: Obj): Draft | null {
  if (type === 'context_compacted') return { role: 'system', kind: 'compact_boundary', blocks: [], meta: {} };
  if (!timelineEvents.has(type)) return null;
  const meta: Record<string, unknown> = { event: type };
  for (const [key, value] of Object.entries(p))
    if (key !== 'type' && key !== 'message' && !isObj(value)) meta[key] = value;
  const message = optString(p, 'message', 'payload.message');
  const text = message !== undefined && message.length > 0 ? message : eventText(type, p);
  return {
    role: 'system',
    kind: type === 'error' ? 'api_error' : 'event',
    blocks: [{ type: 'text', text }],
    meta,
  };
}

/**
 * A line for an event that carries no message (an abort, a rollback, review mode), built from its
 * fields, so that a reader of the transcript sees what happened rather than an empty entry.
 */
function eventText(type: string, p: Obj): string {
  const what = type.replaceAll('_', ' ');
  if (type === 'turn_aborted') {
    const reason = optString(p, 'reason', 'payload.reason');
    return reason === undefined ? what : `${what}: ${reason.replaceAll('_', ' ')}`;
  }
  if (type === 'thread_rolled_back' && typeof p.num_turns === 'number')
    return `${what}: ${p.num_turns} turn${p.num_turns === 1 ? '' : 's'}`;
  if (type === 'entered_review_mode') {
    const hint = optString(p, 'user_facing_hint', 'payload.user_facing_hint');
    if (hint !== undefined && hint.length > 0) return `${what}: ${hint}`;
  }
  return what;
}

/**
 * `item_completed` (Codex 0.148+) of a UserMessage or AgentMessage: the UI's copy of a prompt or a
 * reply, written in place of (or beside) user_message and agent_message; null for other items
 * (commands, file changes, reasoning: their response items say it).
 */
export function completedItemDraft(p: Obj, images: ParsedImage[]): Draft | null {
  const item = p.item;
  if (!isObj(item) || (item.type !== 'UserMessage' && item.type !== 'AgentMessage')) return null;
  const parts = Array.isArray(item.content) ? item.content : [];
  // Parts are `{type: "text"|"Text", text}`, or images; the lower-case spelling is the Responses one.
  const content = parts.map((part: unknown) =>
    isObj(part) && typeof part.type === 'string' && part.type.toLowerCase() === 'text'
      ? { type: 'input_text', text: part.text }
      : part,
  );
  const blocks = contentBlocks(content, 'payload.item.content', images);
  const meta: Record<string, unknown> = { record: 'item_completed' };
  if (item.type === 'AgentMessage')
    return { role: 'assistant', kind: 'message', blocks, meta, byModel: true };
  const text = blocks.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
  return { role: 'user', kind: isContextual(text) ? 'meta' : 'message', blocks, meta };
}
