import type { ChatMessage, ToolCall } from '../example.ts';
import type { Problem } from '../validate/finding-codes.ts';
import {
  exportedToolName,
  isRecord,
  type Decoded,
  type Encoded,
  type TargetFormat,
} from './target-format.ts';

const schemaVersion = 'bedrock-conversation-2024';

type Block = Record<string, unknown>;
type Turn = { role: 'user' | 'assistant'; content: Block[] };

/**
 * Amazon Bedrock's conversation records (`bedrock-conversation-2024`, Converse message shapes):
 * `system` as text blocks, and messages that strictly alternate user and assistant, so the
 * results of one assistant turn's tool calls are merged into the next user message as
 * `toolResult` blocks; calls are `toolUse` blocks with their input as an object. The format has
 * no per-turn weight: `turns` examples train their context turns too.
 */
export const bedrockFormat: TargetFormat = {
  name: 'bedrock',
  weights: false,
  refuses: true,
  encode: encodeBedrock,
  decode: decodeBedrock,
};

function encodeBedrock(messages: readonly ChatMessage[]): Encoded {
  const system = messages.filter((m) => m.role === 'system').map((m) => ({ text: m.content }));
  const turns: Turn[] = [];
  const add = (role: Turn['role'], blocks: Block[]) => {
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };
  for (const m of messages) {
    if (m.role === 'user') add('user', [{ text: m.content }]);
    else if (m.role === 'tool')
      add('user', [
        {
          toolResult: {
            toolUseId: m.toolCallId,
            content: [{ text: m.content }],
            status: m.isError ? 'error' : 'success',
          },
        },
      ]);
    else if (m.role === 'assistant') {
      const blocks: Block[] = m.content.length > 0 ? [{ text: m.content }] : [];
      for (const c of m.toolCalls)
        blocks.push({ toolUse: { toolUseId: c.id, name: exportedToolName(c.name), input: c.arguments } });
      add('assistant', blocks);
    }
  }
  if (turns[0]?.role !== 'user')
    return { ok: false, reason: 'Bedrock conversations start with a user message.' };
  if (turns.at(-1)?.role !== 'assistant')
    return { ok: false, reason: 'Bedrock conversations end with an assistant message.' };
  const value: Record<string, unknown> = { schemaVersion };
  if (system.length > 0) value.system = system;
  value.messages = turns;
  return { ok: true, value };
}

function decodeBedrock(value: unknown): Decoded {
  const problems: Problem[] = [];
  if (!isRecord(value))
    return {
      messages: null,
      declaredTools: null,
      problems: [{ code: 'data_type', message: 'The line is not a JSON object.' }],
    };
  for (const key of Object.keys(value))
    if (key !== 'schemaVersion' && key !== 'system' && key !== 'messages')
      problems.push({ code: 'unrecognized_key', message: `Unknown top-level key "${key}".` });
  if (value.schemaVersion !== schemaVersion)
    problems.push({ code: 'data_type', message: `"schemaVersion" is not "${schemaVersion}".` });
  const messages: ChatMessage[] = [];
  if (value.system !== undefined) {
    const texts = Array.isArray(value.system) ? value.system : [];
    for (const block of texts)
      if (isRecord(block) && typeof block.text === 'string')
        messages.push({ role: 'system', content: block.text });
      else problems.push({ code: 'missing_content', message: '"system" is not a list of {text} blocks.' });
  }
  const list = value.messages;
  if (!Array.isArray(list) || list.length === 0) {
    problems.push({ code: 'missing_messages_list', message: '"messages" is missing or empty.' });
    return { messages: null, declaredTools: null, problems };
  }
  let previous: string | null = null;
  const names = new Map<string, string>();
  list.forEach((raw, i) => {
    if (!isRecord(raw) || (raw.role !== 'user' && raw.role !== 'assistant') || !Array.isArray(raw.content)) {
      problems.push({
        code: 'message_missing_key',
        message: `Message ${i} is not {role: user|assistant, content: [...]}.`,
      });
      return;
    }
    if (raw.role === previous)
      problems.push({
        code: 'alternation',
        message: `Messages ${i - 1} and ${i} are both ${raw.role}: roles must alternate.`,
      });
    previous = raw.role;
    if (raw.role === 'assistant') messages.push(assistantOf(raw.content, i, names, problems));
    else messages.push(...userOf(raw.content, i, names, problems));
  });
  const first = list[0];
  if (isRecord(first) && first.role !== 'user')
    problems.push({ code: 'first_not_user', message: 'The first message is not from the user.' });
  const last = list.at(-1);
  if (isRecord(last) && last.role !== 'assistant')
    problems.push({
      code: 'last_not_assistant',
      message: 'The last message is not from the assistant.',
      severity: 'error',
    });
  return { messages, declaredTools: null, problems };
}

function assistantOf(
  content: unknown[],
  at: number,
  names: Map<string, string>,
  problems: Problem[],
): ChatMessage {
  const texts: string[] = [];
  const calls: ToolCall[] = [];
  for (const block of content) {
    const use = isRecord(block) ? block.toolUse : undefined;
    if (isRecord(block) && typeof block.text === 'string') texts.push(block.text);
    else if (isRecord(use) && typeof use.toolUseId === 'string' && typeof use.name === 'string') {
      if (!isRecord(use.input))
        problems.push({
          code: 'tool_arguments_not_json',
          message: `Message ${at}: toolUse input is not an object.`,
        });
      calls.push({ id: use.toolUseId, name: use.name, arguments: isRecord(use.input) ? use.input : {} });
      names.set(use.toolUseId, use.name);
    } else
      problems.push({
        code: 'message_unrecognized_key',
        message: `Message ${at} has a block that is not text or toolUse.`,
      });
  }
  return { role: 'assistant', content: texts.join('\n'), toolCalls: calls, weight: 1 };
}

function userOf(
  content: unknown[],
  at: number,
  names: Map<string, string>,
  problems: Problem[],
): ChatMessage[] {
  const out: ChatMessage[] = [];
  const texts: string[] = [];
  for (const block of content) {
    const result = isRecord(block) ? block.toolResult : undefined;
    if (isRecord(block) && typeof block.text === 'string') texts.push(block.text);
    else if (isRecord(result) && typeof result.toolUseId === 'string') {
      const parts = Array.isArray(result.content) ? result.content : [];
      const text = parts
        .map((p) =>
          isRecord(p) && typeof p.text === 'string'
            ? p.text
            : isRecord(p)
              ? JSON.stringify(p.json ?? null)
              : '',
        )
        .join('\n');
      out.push({
        role: 'tool',
        toolCallId: result.toolUseId,
        name: names.get(result.toolUseId) ?? '',
        content: text,
        isError: result.status === 'error',
      });
    } else
      problems.push({
        code: 'message_unrecognized_key',
        message: `Message ${at} has a block that is not text or toolResult.`,
      });
  }
  if (texts.length > 0) out.push({ role: 'user', content: texts.join('\n') });
  return out;
}
