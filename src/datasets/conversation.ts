import type { Block, ToolResultBlock } from '../domain/blocks.ts';
import type { Message } from '../domain/message.ts';
import type { TrainingMessage } from '../storage/ports.ts';
import {
  noBadInput,
  type AssistantMessage,
  type BadInputCounts,
  type SourcedMessage,
  type ToolCall,
} from './example.ts';
import { repairText } from './text-repair.ts';

/**
 * A stored session as a clean chat: the first step of every strategy. The rules for bad input
 * (docs/DATASETS.md, "Bad input") are applied here, and counted.
 */
export type Conversation = {
  /** User, assistant and tool messages in order; each call answered right after its message. */
  messages: SourcedMessage[];
  /** The session's own system prompt (its system messages, joined), or null. */
  system: string | null;
  /** UI interactions (browser clicks, inputs, navigations), for the journey strategy. */
  interactions: Interaction[];
  /** Messages of kinds never trained on (meta, compaction summaries, API errors, commands). */
  excluded: number;
  badInput: BadInputCounts;
};

/** A UI event and where it sat among the chat messages (the number of chat messages before it). */
export type Interaction = {
  sourceId: number;
  position: number;
  event: Record<string, unknown>;
};

export type ConversationRules = { maxToolOutputChars: number };

const excludedKinds = new Set([
  'meta',
  'compact_summary',
  'compact_boundary',
  'api_error',
  'command',
  'note',
]);

/** One stored message read into pieces, before calls are matched with their results. */
type Piece =
  | { kind: 'user'; text: string; sourceId: number }
  | { kind: 'assistant'; text: string; calls: ToolCall[]; responseId: string | null; sourceIds: number[] }
  | { kind: 'result'; toolUseId: string; text: string; isError: boolean; sourceId: number };

/** A stored message with its blocks parsed: what a conversation is read from. */
export type ConversationMessage = Pick<Message, 'id' | 'role' | 'kind' | 'blocks' | 'text' | 'responseId'>;

/** The messages of a build's read, their blocks parsed. */
export function parseTrainingMessages(rows: readonly TrainingMessage[]): ConversationMessage[] {
  return rows.map((row) => ({ ...row, blocks: JSON.parse(row.blocksJson) as Block[] }));
}

export function toConversation(
  stored: Iterable<ConversationMessage>,
  rules: ConversationRules,
): Conversation {
  const reader = new PieceReader(rules);
  const systems: string[] = [];
  const interactions: Interaction[] = [];
  let excluded = 0;
  for (const message of stored) {
    if (message.kind === 'event') {
      const event = interactionOf(message.blocks);
      if (event === null) excluded++;
      else interactions.push({ sourceId: message.id, position: reader.pieces.length, event });
      continue;
    }
    if (excludedKinds.has(message.kind)) {
      excluded++;
      continue;
    }
    if (message.role === 'system') {
      const text = reader.text(message.blocks, message.text);
      if (text.length > 0) systems.push(text);
      continue;
    }
    reader.read(message);
  }
  const messages = link(mergeResponses(reader.pieces), reader.counts);
  return {
    messages: dropEmptyAssistants(messages, reader.counts),
    system: systems.length === 0 ? null : systems.join('\n\n'),
    interactions,
    excluded,
    badInput: reader.counts,
  };
}

class PieceReader {
  readonly pieces: Piece[] = [];
  readonly counts = noBadInput();
  private readonly rules: ConversationRules;

  constructor(rules: ConversationRules) {
    this.rules = rules;
  }

  read(message: ConversationMessage): void {
    const sourceId = message.id;
    const results = message.blocks.filter((b): b is ToolResultBlock => b.type === 'tool_result');
    for (const result of results) {
      const blocks: Block[] =
        typeof result.content === 'string' ? [{ type: 'text', text: result.content }] : result.content;
      const text = this.truncate(this.text(blocks, ''));
      this.pieces.push({
        kind: 'result',
        toolUseId: result.toolUseId,
        text,
        isError: result.isError,
        sourceId,
      });
    }
    const own = message.blocks.filter((b) => b.type !== 'tool_result' && b.type !== 'tool_use');
    const text = this.text(own, results.length > 0 ? '' : message.text);
    if (message.role === 'assistant') {
      const calls = message.blocks.flatMap((b) =>
        b.type === 'tool_use' ? [toolCall(b.id, b.name, b.input)] : [],
      );
      this.pieces.push({
        kind: 'assistant',
        text,
        calls,
        responseId: message.responseId,
        sourceIds: [sourceId],
      });
    } else if (message.role === 'tool') {
      // A tool message without a tool_result block answers no call we can name.
      if (results.length === 0 && text.length > 0) this.counts.orphanToolResults++;
    } else if (text.length > 0) {
      this.pieces.push({ kind: 'user', text, sourceId });
    }
  }

  /** The text of blocks (text and image markers; thinking is not trained), repaired. */
  text(blocks: readonly Block[], fallback: string): string {
    const parts: string[] = [];
    for (const block of blocks) {
      if (block.type === 'text') parts.push(block.text);
      else if (block.type === 'image') {
        this.counts.images++;
        parts.push(`[image: ${block.mediaType}]`);
      }
    }
    if (parts.length === 0 && blocks.length === 0) parts.push(fallback);
    const repaired = repairText(parts.join('\n').trim());
    if (repaired.repaired) this.counts.repairedText++;
    if (repaired.undecodable) this.counts.undecodableText++;
    return repaired.text;
  }

  /** Keeps the head and the tail of a long tool output; the marker says what was cut. */
  private truncate(text: string): string {
    const limit = this.rules.maxToolOutputChars;
    if (text.length <= limit) return text;
    this.counts.truncatedToolOutputs++;
    const head = Math.floor(limit * 0.6);
    const tail = limit - head;
    const cut = text.length - head - tail;
    return `${text.slice(0, head)}\n[… ${cut} characters truncated …]\n${text.slice(text.length - tail)}`;
  }
}

/** Tool arguments are a JSON object in every target; anything else is wrapped as `{input: …}`. */
function toolCall(id: string, name: string, input: unknown): ToolCall {
  if (typeof input === 'string') {
    try {
      const parsed: unknown = JSON.parse(input);
      if (isObject(parsed)) return { id, name, arguments: parsed };
    } catch {
      // Not JSON: kept as text below.
    }
  }
  return { id, name, arguments: isObject(input) ? input : { input: input ?? null } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function interactionOf(blocks: readonly Block[]): Record<string, unknown> | null {
  for (const block of blocks)
    if (block.type === 'other' && block.kind === 'interaction' && isObject(block.value)) return block.value;
  return null;
}

/**
 * One model response is often stored as several messages (a line per content block): consecutive
 * assistant pieces are merged when they share a response id, or when the earlier one made tool
 * calls that nothing has answered yet (calls of one turn belong to one message).
 */
function mergeResponses(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const piece of pieces) {
    const last = out.at(-1);
    if (
      piece.kind === 'assistant' &&
      last?.kind === 'assistant' &&
      ((piece.responseId !== null && piece.responseId === last.responseId) || last.calls.length > 0)
    ) {
      out[out.length - 1] = {
        ...last,
        text: [last.text, piece.text].filter((t) => t.length > 0).join('\n'),
        calls: [...last.calls, ...piece.calls],
        sourceIds: [...last.sourceIds, ...piece.sourceIds],
      };
      continue;
    }
    out.push(piece);
  }
  return out;
}

/**
 * Puts each call's answer right after its assistant message, in call order. A call nothing
 * answers is removed from its message; a result no earlier call asked for, or a second answer to
 * one call, is removed.
 */
function link(pieces: Piece[], counts: BadInputCounts): SourcedMessage[] {
  const results = new Map<string, number[]>();
  pieces.forEach((piece, index) => {
    if (piece.kind !== 'result') return;
    const list = results.get(piece.toolUseId);
    if (list === undefined) results.set(piece.toolUseId, [index]);
    else list.push(index);
  });
  const used = new Set<number>();
  const out: SourcedMessage[] = [];
  pieces.forEach((piece, index) => {
    if (piece.kind === 'user')
      out.push({ message: { role: 'user', content: piece.text }, sourceIds: [piece.sourceId] });
    if (piece.kind === 'result' && !used.has(index)) counts.orphanToolResults++;
    if (piece.kind !== 'assistant') return;
    const answers: SourcedMessage[] = [];
    const calls = piece.calls.filter((call) => {
      const answer = (results.get(call.id) ?? []).find((at) => at > index && !used.has(at));
      if (answer === undefined) {
        counts.orphanToolCalls++;
        return false;
      }
      used.add(answer);
      const result = pieces[answer] as Extract<Piece, { kind: 'result' }>;
      answers.push({
        message: {
          role: 'tool',
          toolCallId: call.id,
          name: call.name,
          content: result.text,
          isError: result.isError,
        },
        sourceIds: [result.sourceId],
      });
      return true;
    });
    const message: AssistantMessage = { role: 'assistant', content: piece.text, toolCalls: calls, weight: 1 };
    out.push({ message, sourceIds: piece.sourceIds }, ...answers);
  });
  return out;
}

function dropEmptyAssistants(messages: SourcedMessage[], counts: BadInputCounts): SourcedMessage[] {
  return messages.filter(({ message }) => {
    const empty =
      message.role === 'assistant' && message.content.length === 0 && message.toolCalls.length === 0;
    if (empty) counts.emptyAssistantMessages++;
    return !empty;
  });
}
