import { createHash } from 'node:crypto';
import type { Block } from '../../domain/blocks.ts';
import type { MessageInput, MessageKind, Role, Speaker } from '../../domain/message.ts';
import type { ParsedImage } from '../source-format.ts';
import { FieldError, describe, isObj, optString, reqString, type Obj } from '../shared/fields.ts';
import { contentBlocks, toolInput, toolOutput } from './blocks.ts';
import { codexSource, contextualPrefixes } from './schema.ts';

/** A message before it gets its key and place: what one record says and who said it. */
export type Draft = {
  role: Role;
  kind: MessageKind;
  blocks: Block[];
  meta: Record<string, unknown>;
  speaker?: Speaker;
  /** Written by the model: gets the turn's model. */
  byModel?: boolean;
};

/** Where a draft lands: its session, key and place, and what the rollout knows around it. */
export type DraftPlace = {
  session: string;
  externalId: string;
  seq: number;
  timestamp: number | null;
  /** The turn's model, for a draft written by the model. */
  model: string | null;
  contentHash: string;
  text: string;
};

/** The message a draft becomes once it has its place (rollouts and TypeScript-era documents alike). */
export function draftMessage(draft: Draft, place: DraftPlace): MessageInput {
  return {
    source: codexSource,
    sessionExternalId: place.session,
    externalId: place.externalId,
    parentExternalId: null,
    role: draft.role,
    kind: draft.kind,
    speaker: draft.speaker ?? null,
    blocks: draft.blocks,
    text: place.text,
    model: draft.byModel === true ? place.model : null,
    usage: null,
    responseId: null,
    timestamp: place.timestamp,
    seq: place.seq,
    contentHash: place.contentHash,
    meta: draft.meta,
  };
}

/** Whether a user-role text was injected by Codex (AGENTS.md, environment context, …). */
export function isContextual(text: string): boolean {
  const start = text.trimStart().slice(0, 40).toLowerCase();
  return contextualPrefixes.some((p) => start.startsWith(p));
}

/** A user-role message is injected context when every text part of it is. */
function userKind(blocks: Block[]): MessageKind {
  const texts = blocks.filter((b) => b.type === 'text');
  if (texts.length > 0 && texts.every((b) => b.type === 'text' && isContextual(b.text))) return 'meta';
  return 'message';
}

/** Converts one `response_item` payload; null for items that are not conversation (kept raw only). */
export function itemDraft(p: Obj, images: ParsedImage[], fallbackId: string): Draft | null {
  const type = reqString(p, 'type', 'payload.type');
  const itemId = optString(p, 'id', 'payload.id');
  const meta: Record<string, unknown> = itemId === undefined ? {} : { itemId };
  // Web searches carry no call id in the item: the message's own key stands in.
  const callId = () => optString(p, 'call_id', 'payload.call_id') ?? itemId ?? fallbackId;
  switch (type) {
    case 'message':
      return messageDraft(p, meta, images);
    case 'reasoning': {
      // Reasoning with neither a summary nor encrypted content (the TypeScript CLI's) says nothing.
      const blocks = reasoningBlocks(p);
      return blocks.length === 0 ? null : { role: 'assistant', kind: 'message', blocks, meta, byModel: true };
    }
    case 'function_call': {
      const namespace = optString(p, 'namespace', 'payload.namespace');
      if (namespace !== undefined) meta.namespace = namespace;
      const name = optString(p, 'name', 'payload.name') ?? '';
      return toolUse(callId(), name, toolInput(p.arguments), meta);
    }
    case 'custom_tool_call':
      // Freeform tools (apply_patch) take raw text, not JSON.
      return toolUse(
        callId(),
        optString(p, 'name', 'payload.name') ?? '',
        p.input ?? null,
        withStatus(p, meta),
      );
    case 'local_shell_call':
      return toolUse(callId(), 'local_shell', p.action ?? null, withStatus(p, meta));
    case 'web_search_call':
      return toolUse(callId(), 'web_search', p.action ?? null, withStatus(p, meta));
    case 'tool_search_call':
      return toolUse(callId(), 'tool_search', toolInput(p.arguments ?? p.query ?? null), withStatus(p, meta));
    case 'function_call_output':
    case 'custom_tool_call_output':
    case 'tool_search_output': {
      const { content, isError, exitCode, durationSeconds } = toolOutput(
        p.output ?? p.tools,
        'payload.output',
        images,
      );
      const block: Block = { type: 'tool_result', toolUseId: callId(), content, isError };
      if (exitCode !== undefined) meta.exitCode = exitCode;
      if (durationSeconds !== undefined) meta.durationSeconds = durationSeconds;
      return { role: 'tool', kind: 'tool_result', blocks: [block], meta };
    }
    case 'image_generation_call':
      return { role: 'assistant', kind: 'message', blocks: generatedImage(p, images), meta, byModel: true };
    case 'compaction':
    case 'compaction_summary':
    case 'context_compaction':
      // Remote compaction: the summary is encrypted, kept opaque in the raw record.
      return { role: 'user', kind: 'compact_summary', blocks: [], meta: { ...meta, encrypted: true } };
    default:
      // ghost_snapshot, additional_tools and types not known yet: kept raw only.
      return null;
  }
}

function messageDraft(p: Obj, meta: Record<string, unknown>, images: ParsedImage[]): Draft {
  const role = reqString(p, 'role', 'payload.role');
  const blocks = contentBlocks(p.content, 'payload.content', images);
  switch (role) {
    case 'assistant': {
      const phase = optString(p, 'phase', 'payload.phase');
      if (phase !== undefined) meta.phase = phase;
      return { role: 'assistant', kind: 'message', blocks, meta, byModel: true };
    }
    case 'user':
      return { role: 'user', kind: userKind(blocks), blocks, meta };
    default:
      // Developer and system messages carry permissions and instructions, never the human.
      return { role: 'system', kind: 'meta', blocks, meta: { ...meta, role } };
  }
}

function toolUse(id: string, name: string, input: unknown, meta: Record<string, unknown>): Draft {
  return {
    role: 'assistant',
    kind: 'message',
    blocks: [{ type: 'tool_use', id, name, input }],
    meta,
    byModel: true,
  };
}

function withStatus(p: Obj, meta: Record<string, unknown>): Record<string, unknown> {
  const status = optString(p, 'status', 'payload.status');
  return status === undefined ? meta : { ...meta, status };
}

/** Readable reasoning (summaries, rarely raw text) as thinking; encrypted-only reasoning as redacted. */
function reasoningBlocks(p: Obj): Block[] {
  const blocks: Block[] = [];
  for (const key of ['summary', 'content'] as const) {
    const parts = p[key];
    if (parts === undefined || parts === null) continue;
    if (!Array.isArray(parts))
      throw new FieldError(`payload.${key}: expected an array, got ${describe(parts)}`);
    for (const part of parts) {
      const text = isObj(part) && typeof part.text === 'string' ? part.text : undefined;
      if (text !== undefined && text.length > 0) blocks.push({ type: 'thinking', thinking: text });
    }
  }
  if (blocks.length === 0 && typeof p.encrypted_content === 'string')
    blocks.push({ type: 'thinking', thinking: '', redacted: true });
  return blocks;
}

function generatedImage(p: Obj, images: ParsedImage[]): Block[] {
  const result = p.result;
  const blocks: Block[] = [];
  const prompt = optString(p, 'revised_prompt', 'payload.revised_prompt');
  if (prompt !== undefined) blocks.push({ type: 'other', kind: 'revised_prompt', value: prompt });
  if (typeof result === 'string' && result.length > 0) {
    const data = Buffer.from(result, 'base64');
    const sha256 = createHash('sha256').update(data).digest('hex');
    images.push({ sha256, mediaType: 'image/png', data });
    blocks.push({ type: 'image', mediaType: 'image/png', size: data.byteLength, sha256 });
  }
  return blocks;
}
