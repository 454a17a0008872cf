import type { Block } from '../../domain/blocks.ts';
import { textOf } from '../../domain/blocks.ts';
import type { SessionPatch } from '../../domain/session.ts';
import type { ParsedRecord } from '../source-format.ts';
import { chatMessage, chatRecord, problemRecord, titleFrom } from '../shared/chat-record.ts';
import { derivedMessageId, derivedSessionId } from '../shared/derived-ids.ts';
import { FieldError, describe, isObj, optString, type Obj } from '../shared/fields.ts';
import { sharegptSource, turnKinds } from './schema.ts';

/**
 * One ShareGPT conversation (an array element or a line) as records: the session, then one
 * message per turn, each the child of the one before. `position` is its place in the file, which
 * with its content makes its ids (the format has none). A broken turn is reported and skipped.
 */
export function readConversation(file: string, position: number, value: unknown): ParsedRecord[] {
  if (!isObj(value))
    return [problemRecord('conversation', null, `expected an object, got ${describe(value)}`)];
  if (!Array.isArray(value.conversations)) {
    const got = describe(value.conversations);
    return [problemRecord('conversation', null, `conversations: expected an array, got ${got}`)];
  }
  const session = derivedSessionId(file, position, value);
  const patch: SessionPatch = { source: sharegptSource, externalId: session, meta: {} };
  const records = [chatRecord('conversation', session, [patch], null)];
  const reader = new TurnReader(session, patch);
  const tools = toolNames(value.tools);
  if (typeof tools === 'string') records.push(problemRecord('conversation', session, tools));
  else if (tools !== undefined) patch.meta!.tools = tools;
  if (typeof value.id === 'string' || typeof value.id === 'number') patch.meta!.id = value.id;
  // LLaMA-Factory's multimodal data: `<image>` marks in the turns, the files they stand for here.
  for (const key of ['images', 'videos', 'audios'] as const) {
    const paths = value[key];
    if (Array.isArray(paths) && paths.length > 0) patch.meta![key] = paths;
  }

  if (typeof value.system === 'string' && value.system.length > 0)
    records.push(reader.read({ from: 'system', value: value.system }, 'system', 0));
  value.conversations.forEach((turn: unknown, i) => {
    try {
      records.push(reader.read(turn, i + 1, i + 1, `conversations[${i}]`));
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      records.push(problemRecord('turn', session, error.message));
    }
  });
  return records;
}

/** `tools` is JSON text in LLaMA-Factory's convention; a reason string when it does not parse. */
function toolNames(tools: unknown): unknown[] | string | undefined {
  if (tools === undefined || tools === null || tools === '') return undefined;
  let list = tools;
  if (typeof tools === 'string') {
    try {
      list = JSON.parse(tools);
    } catch {
      return 'tools: not valid JSON; the conversation is kept without it';
    }
  }
  if (!Array.isArray(list))
    return 'tools: expected a JSON array of functions; the conversation is kept without it';
  return list.map((t: unknown) => (isObj(t) && typeof t.name === 'string' ? t.name : null));
}

class TurnReader {
  private readonly session: string;
  private readonly patch: SessionPatch;
  private parent: string | null = null;
  /** Calls not answered yet: each observation answers the oldest. */
  private pendingCalls: string[] = [];

  constructor(session: string, patch: SessionPatch) {
    this.session = session;
    this.patch = patch;
  }

  read(raw: unknown, index: number | string, seq: number, path = 'system'): ParsedRecord {
    if (!isObj(raw)) throw new FieldError(`${path}: expected an object, got ${describe(raw)}`);
    const from = optString(raw, 'from', `${path}.from`) ?? optString(raw, 'role', `${path}.role`);
    if (from === undefined) throw new FieldError(`${path}.from: missing`);
    const kind = turnKinds[from];
    if (kind === undefined) throw new FieldError(`${path}.from: unknown speaker ${JSON.stringify(from)}`);
    const value = raw.value ?? raw.content ?? '';
    if (typeof value !== 'string')
      throw new FieldError(`${path}.value: expected a string, got ${describe(value)}`);
    const externalId = derivedMessageId(this.session, index);

    let blocks: Block[] = value.length === 0 ? [] : [{ type: 'text', text: value }];
    if (kind.call) blocks = this.calls(value, externalId, path);
    if (kind.role === 'tool')
      blocks = [
        { type: 'tool_result', toolUseId: this.pendingCalls.shift() ?? '', content: value, isError: false },
      ];
    if (kind.role === 'user' && this.patch.fallbackTitle === undefined) {
      const title = titleFrom(textOf(blocks));
      if (title !== undefined) this.patch.fallbackTitle = title;
    }
    const meta: Obj = from === 'human' || from === 'gpt' ? {} : { from };
    const message = chatMessage({
      source: sharegptSource,
      sessionExternalId: this.session,
      externalId,
      parentExternalId: this.parent,
      role: kind.role,
      kind: kind.role === 'tool' ? 'tool_result' : 'message',
      speaker: null,
      blocks,
      model: null,
      timestamp: null,
      seq,
      meta,
    });
    this.parent = externalId;
    return chatRecord(from, this.session, [], message);
  }

  /** A `function_call` turn is JSON text: `{"name", "arguments"}`, or a list of them. */
  private calls(value: string, externalId: string, path: string): Block[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new FieldError(`${path}.value: a function_call that is not JSON`);
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.map((call: unknown, i): Block => {
      if (!isObj(call) || typeof call.name !== 'string')
        throw new FieldError(`${path}.value: a function_call without a "name"`);
      const id = list.length === 1 ? externalId : `${externalId}.${i}`;
      this.pendingCalls.push(id);
      return { type: 'tool_use', id, name: call.name, input: call.arguments ?? null };
    });
  }
}
