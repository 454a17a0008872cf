import { createHash } from 'node:crypto';
import type { Block } from '../../domain/blocks.ts';
import { textOf } from '../../domain/blocks.ts';
import type { MessageInput, MessageKind, Role } from '../../domain/message.ts';
import type { Usage } from '../../domain/usage.ts';
import type { ParsedImage, ParsedUsage } from '../source-format.ts';
import { contentHash } from '../shared/content-hash.ts';
import {
  FieldError,
  describe,
  isObj,
  optObj,
  optString,
  optTimestamp,
  reqString,
  type Obj,
} from '../shared/fields.ts';
import { partsToBlocks, toolCallBlocks } from './blocks.ts';
import { compressionPrefix, geminiSource, injectedPrefixes } from './schema.ts';
import { readTokens, usageKey } from './usage.ts';

const titleLength = 120;

/** Where a message sits: its session, the message before it, and its line (or index) in the file. */
export type MessagePlace = { session: string; parent: string | null; seq: number };

export type GeminiMessage = {
  message: MessageInput;
  usage: ParsedUsage | null;
  images: ParsedImage[];
  /** The start of a prompt a person typed, for a session without a summary. */
  prompt: string | null;
};

/** One MessageRecord (the same shape in legacy documents and in JSON Lines) as our message. */
export function toGeminiMessage(o: Obj, place: MessagePlace): GeminiMessage {
  const id = reqString(o, 'id');
  const type = optString(o, 'type') ?? 'unknown';
  const timestamp = optTimestamp(o, 'timestamp') ?? null;
  const images: ParsedImage[] = [];
  const meta: Record<string, unknown> = {};
  let role: Role = 'system';
  let kind: MessageKind = 'event';
  let blocks: Block[];
  let model: string | null = null;
  let counts: Usage | null = null;
  let usage: ParsedUsage | null = null;
  let prompt: string | null = null;

  if (type === 'gemini') {
    role = 'assistant';
    kind = 'message';
    const calls = toolCallBlocks(o.toolCalls, images);
    blocks = [
      ...thoughtBlocks(o.thoughts),
      ...partsToBlocks(o.content, 'content', images),
      ...calls.uses,
      ...calls.results,
    ];
    if (Object.keys(calls.statuses).length > 0) meta.toolStatus = calls.statuses;
    model = optString(o, 'model') ?? null;
    const tokens = optObj(o, 'tokens');
    if (tokens !== undefined) counts = readTokens(tokens);
    // A usage row needs a time to fall in a day; the message keeps its counts regardless.
    if (counts !== null && timestamp !== null)
      usage = { dedupKey: usageKey(place.session, id), model, timestamp, ...counts };
  } else if (type === 'user') {
    blocks = partsToBlocks(o.content, 'content', images);
    const text = textOf(blocks);
    if (blocks.length > 0 && blocks.every((b) => b.type === 'tool_result')) {
      role = 'tool';
      kind = 'tool_result';
    } else {
      role = 'user';
      // The words typed: text parts without the injected ones.
      const typed = textOf(blocks.filter((b) => b.type !== 'text' || !isInjected(b.text))).trim();
      kind =
        typed.length === 0 && text.trim().length > 0
          ? 'meta'
          : text.trimStart().startsWith(compressionPrefix)
            ? 'compact_summary'
            : 'message';
      if (kind === 'message' && typed.length > 0) prompt = typed.slice(0, titleLength);
    }
    // What the person typed, when the CLI sent something else (an @file expanded, say).
    if (o.displayContent !== undefined && o.displayContent !== null) {
      const shown = textOf(partsToBlocks(o.displayContent, 'displayContent', []));
      if (shown !== text) meta.displayText = shown;
    }
  } else {
    blocks = partsToBlocks(o.content, 'content', images);
    meta.level = type;
    // The CLI records a failed model call (an API error, a quota) as an `error` notice.
    if (type === 'error') kind = 'api_error';
  }

  const message: MessageInput = {
    source: geminiSource,
    sessionExternalId: place.session,
    externalId: id,
    parentExternalId: place.parent,
    role,
    kind,
    speaker: null,
    blocks,
    text: textOf(blocks),
    model,
    usage: counts,
    responseId: null,
    timestamp,
    seq: place.seq,
    contentHash: '',
    meta,
    revisable: true,
  };
  message.contentHash = versionHash(message);
  return { message, usage, images, prompt };
}

function isInjected(text: string): boolean {
  const start = text.trimStart();
  return injectedPrefixes.some((p) => start.startsWith(p));
}

/** Thought summaries (Gemini keeps no full reasoning): a subject line and a description. */
function thoughtBlocks(thoughts: unknown): Block[] {
  if (thoughts === undefined || thoughts === null) return [];
  if (!Array.isArray(thoughts))
    throw new FieldError(`thoughts: expected an array, got ${describe(thoughts)}`);
  const blocks: Block[] = [];
  for (let i = 0; i < thoughts.length; i++) {
    const thought: unknown = thoughts[i];
    if (!isObj(thought)) throw new FieldError(`thoughts[${i}]: expected an object, got ${describe(thought)}`);
    const subject = optString(thought, 'subject', `thoughts[${i}].subject`) ?? '';
    const description = optString(thought, 'description', `thoughts[${i}].description`) ?? '';
    const thinking =
      subject.length > 0 && description.length > 0 ? `${subject}\n${description}` : subject + description;
    if (thinking.length > 0) blocks.push({ type: 'thinking', thinking });
  }
  return blocks;
}

/**
 * The store replaces a revisable message only when this hash changes, so it covers all a later
 * copy can change: text and tool results (the blocks), tokens, model and marks such as `rewound`.
 */
function versionHash(m: MessageInput): string {
  return createHash('sha256')
    .update(contentHash(m.role, m.blocks))
    .update(JSON.stringify([m.usage, m.model, m.meta]))
    .digest('hex')
    .slice(0, 32);
}

/** A copy of a message that a `$rewindTo` took out of the conversation: kept, and marked so. */
export function markRewound(m: MessageInput): MessageInput {
  const rewound: MessageInput = { ...m, meta: { ...m.meta, rewound: true } };
  rewound.contentHash = versionHash(rewound);
  return rewound;
}
