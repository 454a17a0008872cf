import type { Block } from '../../domain/blocks.ts';
import { textOf } from '../../domain/blocks.ts';
import type { MessageKind } from '../../domain/message.ts';
import type { SessionPatch } from '../../domain/session.ts';
import type { DocumentRecord, ParsedImage, ParsedRecord, RecordParser } from '../source-format.ts';
import { chatMessage, chatRecord, problemRecord, titleFrom } from '../shared/chat-record.ts';
import { derivedMessageId, derivedSessionId } from '../shared/derived-ids.ts';
import { FieldError, describe, isObj, optObj, optString, reqString, type Obj } from '../shared/fields.ts';
import { toBlocks } from './content.ts';
import { openaiChatSource, reasoningKeys, roles } from './schema.ts';
import { chatShape } from './shapes.ts';

/**
 * Reads OpenAI chat JSONL: each line is one conversation, so one session, and gives one record
 * per message (all sharing the line as their raw record). Lines carry no ids: they are derived
 * from the file, the line number and the line's content (see shared/derived-ids.ts).
 */
export class OpenAiChatParser implements RecordParser {
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  parse(value: unknown, line: number): ParsedRecord[] {
    return readChatConversation(this.file, line, value);
  }
}

/**
 * One conversation (a line of JSON Lines, or an element of a JSON array) as records: the session,
 * then one per message. `position` is its place in the file, which with its content makes its ids.
 */
export function readChatConversation(file: string, position: number, value: unknown): ParsedRecord[] {
  if (!isObj(value))
    return [problemRecord('conversation', null, `expected a JSON object, got ${describe(value)}`)];
  const shape = chatShape(value);
  if (typeof shape === 'string') return [problemRecord('conversation', null, shape)];
  const session = derivedSessionId(file, position, value);
  const meta = sessionMeta(value, shape.settings);
  if (shape.preference !== null) meta.preference = true;
  const patch: SessionPatch = { source: openaiChatSource, externalId: session, meta };
  if (typeof shape.settings.model === 'string') patch.model = shape.settings.model;
  const records = [chatRecord('conversation', session, [patch], null)];
  const conversation = new Conversation(session);
  const readAll = (messages: unknown[], key: string, first: number, preference?: string) =>
    messages.forEach((message: unknown, i) => {
      try {
        records.push(conversation.read(message, first + i, `${key}[${i}]`, patch, preference));
      } catch (error) {
        if (!(error instanceof FieldError)) throw error;
        records.push(problemRecord('message', session, error.message));
      }
    });
  readAll(shape.messages, 'messages', 1);
  if (shape.preference !== null) {
    const { preferred, nonPreferred } = shape.preference;
    const branchPoint = conversation.last();
    readAll(preferred, 'preferred_output', shape.messages.length + 1, 'preferred');
    // The other answer to the same input: a sibling of the preferred one, numbered after it.
    conversation.branchFrom(branchPoint);
    readAll(
      nonPreferred,
      'non_preferred_output',
      shape.messages.length + preferred.length + 1,
      'non_preferred',
    );
  }
  return records;
}

/** What the session keeps of a line besides its messages: the tools offered, by name. */
function sessionMeta(line: Obj, settings: Obj): Obj {
  const meta: Obj = {};
  if (Array.isArray(settings.tools)) {
    meta.tools = settings.tools.map((t: unknown) => {
      const fn = isObj(t) && isObj(t.function) ? t.function : t;
      return isObj(fn) && typeof fn.name === 'string' ? fn.name : null;
    });
  }
  if (typeof settings.parallel_tool_calls === 'boolean')
    meta.parallelToolCalls = settings.parallel_tool_calls;
  if (typeof line.id === 'string') meta.id = line.id;
  if (typeof line.custom_id === 'string') meta.customId = line.custom_id;
  return meta;
}

/** The messages of one line, in order: each the child of the one before. */
class Conversation {
  private readonly session: string;
  private parent: string | null = null;
  /** Legacy `function` results answer the last `function_call`, which had no id of its own. */
  private lastFunctionCall = '';

  constructor(session: string) {
    this.session = session;
  }

  /** The message read last: where a branch read next starts from. */
  last(): string | null {
    return this.parent;
  }

  branchFrom(parent: string | null): void {
    this.parent = parent;
  }

  read(raw: unknown, seq: number, path: string, patch: SessionPatch, preference?: string): ParsedRecord {
    if (!isObj(raw)) throw new FieldError(`${path}: expected an object, got ${describe(raw)}`);
    const openaiRole = reqString(raw, 'role', `${path}.role`);
    const role = roles[openaiRole];
    if (role === undefined) throw new FieldError(`${path}.role: unknown role ${JSON.stringify(openaiRole)}`);
    const externalId = derivedMessageId(this.session, seq);
    const images: ParsedImage[] = [];
    const meta: Obj = {};
    if (openaiRole === 'developer' || openaiRole === 'function') meta.openaiRole = openaiRole;
    if (typeof raw.weight === 'number') meta.weight = raw.weight;
    if (preference !== undefined) {
      meta.preference = preference;
      // As ChatGPT's branches are marked: the thread a reader follows, and the answer beside it.
      meta.canonical = preference !== 'non_preferred';
    }
    let kind: MessageKind = 'message';
    let blocks: Block[];

    if (role === 'tool') {
      kind = 'tool_result';
      const call =
        openaiRole === 'function'
          ? this.lastFunctionCall
          : (optString(raw, 'tool_call_id', `${path}.tool_call_id`) ?? '');
      const inner = toBlocks(raw.content, `${path}.content`, images);
      const content = typeof raw.content === 'string' ? raw.content : inner;
      blocks = [{ type: 'tool_result', toolUseId: call, content, isError: false }];
    } else if (role === 'assistant') {
      blocks = [
        ...reasoningBlocks(raw, path),
        ...toBlocks(raw.content, `${path}.content`, images),
        ...refusalBlocks(raw, path),
        ...this.toolCalls(raw, path, externalId),
      ];
    } else {
      blocks = toBlocks(raw.content, `${path}.content`, images);
    }

    if (role === 'user' && patch.fallbackTitle === undefined) {
      const title = titleFrom(textOf(blocks));
      if (title !== undefined) patch.fallbackTitle = title;
    }
    const name = optString(raw, 'name', `${path}.name`);
    const message = chatMessage({
      source: openaiChatSource,
      sessionExternalId: this.session,
      externalId,
      parentExternalId: this.parent,
      role,
      kind,
      speaker: name === undefined ? null : { name, role: openaiRole },
      blocks,
      model: null,
      timestamp: null,
      seq,
      meta,
    });
    this.parent = externalId;
    return chatRecord(openaiRole, this.session, [], message, images);
  }

  /** `tool_calls` (and the older single `function_call`); `arguments` is JSON text, kept as text if it is not. */
  private toolCalls(raw: Obj, path: string, externalId: string): Block[] {
    const blocks: Block[] = [];
    const calls = raw.tool_calls;
    if (calls !== undefined && calls !== null) {
      if (!Array.isArray(calls))
        throw new FieldError(`${path}.tool_calls: expected an array, got ${describe(calls)}`);
      calls.forEach((call: unknown, i) => {
        const at = `${path}.tool_calls[${i}]`;
        if (!isObj(call)) throw new FieldError(`${at}: expected an object, got ${describe(call)}`);
        const fn = optObj(call, 'function', `${at}.function`);
        if (fn === undefined) throw new FieldError(`${at}.function: missing`);
        blocks.push({
          type: 'tool_use',
          id: optString(call, 'id', `${at}.id`) ?? '',
          name: reqString(fn, 'name', `${at}.function.name`),
          input: argumentsOf(fn.arguments),
        });
      });
    }
    const legacy = optObj(raw, 'function_call', `${path}.function_call`);
    if (legacy !== undefined) {
      this.lastFunctionCall = externalId;
      blocks.push({
        type: 'tool_use',
        id: externalId,
        name: reqString(legacy, 'name', `${path}.function_call.name`),
        input: argumentsOf(legacy.arguments),
      });
    }
    return blocks;
  }
}

function argumentsOf(args: unknown): unknown {
  if (typeof args !== 'string') return args ?? null;
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}

function reasoningBlocks(raw: Obj, path: string): Block[] {
  for (const key of reasoningKeys) {
    const thinking = optString(raw, key, `${path}.${key}`);
    if (thinking !== undefined && thinking.length > 0) return [{ type: 'thinking', thinking }];
  }
  return [];
}

function refusalBlocks(raw: Obj, path: string): Block[] {
  const refusal = optString(raw, 'refusal', `${path}.refusal`);
  return refusal === undefined || refusal.length === 0 ? [] : [{ type: 'text', text: refusal }];
}

/**
 * The same conversations as one JSON document: an array of them (datasets saved with `.json`),
 * or a single one. `position` is a conversation's 1-based index; its records share it as raw.
 */
export function* parseOpenAiChatDocument(file: string, value: unknown): Iterable<DocumentRecord> {
  const list = Array.isArray(value) ? value : [value];
  for (let i = 0; i < list.length; i++) {
    const raw: unknown = list[i];
    for (const record of readChatConversation(file, i + 1, raw)) yield { record, raw, position: i + 1 };
  }
}
