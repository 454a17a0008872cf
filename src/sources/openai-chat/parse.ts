import type { Block } from '../../domain/blocks.ts';
import { textOf } from '../../domain/blocks.ts';
import type { MessageKind } from '../../domain/message.ts';
import type { SessionPatch } from '../../domain/session.ts';
import type { ParsedImage, ParsedRecord, RecordParser } from '../source-format.ts';
import { chatMessage, chatRecord, problemRecord, titleFrom } from '../shared/chat-record.ts';
import { derivedMessageId, derivedSessionId } from '../shared/derived-ids.ts';
import { FieldError, describe, isObj, optObj, optString, reqString, type Obj } from '../shared/fields.ts';
import { toBlocks } from './content.ts';
import { openaiChatSource, reasoningKeys, roles } from './schema.ts';

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
    if (!isObj(value))
      return [problemRecord('conversation', null, `expected a JSON object, got ${describe(value)}`)];
    if (!Array.isArray(value.messages))
      return [
        problemRecord('conversation', null, `messages: expected an array, got ${describe(value.messages)}`),
      ];
    const session = derivedSessionId(this.file, line, value);
    const patch: SessionPatch = { source: openaiChatSource, externalId: session, meta: sessionMeta(value) };
    if (typeof value.model === 'string') patch.model = value.model;
    const records = [chatRecord('conversation', session, [patch], null)];
    const conversation = new Conversation(session);
    value.messages.forEach((message: unknown, i) => {
      const path = `messages[${i}]`;
      try {
        records.push(conversation.read(message, i + 1, path, patch));
      } catch (error) {
        if (!(error instanceof FieldError)) throw error;
        records.push(problemRecord('message', session, error.message));
      }
    });
    return records;
  }
}

/** What the session keeps of a line besides its messages: the tools offered, by name. */
function sessionMeta(line: Obj): Obj {
  const meta: Obj = {};
  if (Array.isArray(line.tools)) {
    meta.tools = line.tools.map((t: unknown) => {
      const fn = isObj(t) && isObj(t.function) ? t.function : t;
      return isObj(fn) && typeof fn.name === 'string' ? fn.name : null;
    });
  }
  if (typeof line.parallel_tool_calls === 'boolean') meta.parallelToolCalls = line.parallel_tool_calls;
  if (typeof line.id === 'string') meta.id = line.id;
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

  read(raw: unknown, seq: number, path: string, patch: SessionPatch): ParsedRecord {
    if (!isObj(raw)) throw new FieldError(`${path}: expected an object, got ${describe(raw)}`);
    const openaiRole = reqString(raw, 'role', `${path}.role`);
    const role = roles[openaiRole];
    if (role === undefined) throw new FieldError(`${path}.role: unknown role ${JSON.stringify(openaiRole)}`);
    const externalId = derivedMessageId(this.session, seq);
    const images: ParsedImage[] = [];
    const meta: Obj = {};
    if (openaiRole === 'developer' || openaiRole === 'function') meta.openaiRole = openaiRole;
    if (typeof raw.weight === 'number') meta.weight = raw.weight;
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
