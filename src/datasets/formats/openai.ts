import type { AssistantMessage, ChatMessage, ToolCall } from '../example.ts';
import type { Problem } from '../validate/finding-codes.ts';
import {
  exportedToolName,
  inferTools,
  isRecord,
  namesOfCalls,
  type Decoded,
  type Encoded,
  type TargetFormat,
} from './target-format.ts';

/**
 * OpenAI chat fine-tuning JSONL (also read by Together, Fireworks, Mistral, NeMo): `messages`
 * with `tool_calls` whose `arguments` are JSON strings, `tool` messages keyed by `tool_call_id`,
 * a `weight` of 0 or 1 on every assistant message, and `tools` for the functions called.
 */
export const openaiFormat: TargetFormat = {
  name: 'openai',
  weights: true,
  refuses: false,
  encode(messages: readonly ChatMessage[]): Encoded {
    const out = messages.map(encodeMessage);
    const tools = inferTools(messages).map((t) => ({ type: 'function', function: t }));
    return { ok: true, value: tools.length === 0 ? { messages: out } : { messages: out, tools } };
  },
  decode: decodeOpenAi,
};

function encodeMessage(m: ChatMessage): Record<string, unknown> {
  switch (m.role) {
    case 'system':
    case 'user':
      return { role: m.role, content: m.content };
    case 'tool':
      return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
    case 'assistant': {
      const out: Record<string, unknown> = { role: 'assistant' };
      if (m.content.length > 0 || m.toolCalls.length === 0) out.content = m.content;
      if (m.toolCalls.length > 0)
        out.tool_calls = m.toolCalls.map((c) => ({
          id: c.id,
          type: 'function',
          function: { name: exportedToolName(c.name), arguments: JSON.stringify(c.arguments) },
        }));
      out.weight = m.weight;
      return out;
    }
    default:
      return m satisfies never;
  }
}

const topKeys = new Set(['messages', 'tools', 'parallel_tool_calls', 'functions']);
const keysOf: Record<string, ReadonlySet<string>> = {
  system: new Set(['role', 'content', 'name']),
  user: new Set(['role', 'content', 'name']),
  assistant: new Set([
    'role',
    'content',
    'name',
    'tool_calls',
    'weight',
    'refusal',
    'function_call',
    'audio',
  ]),
  tool: new Set(['role', 'content', 'tool_call_id']),
};

function decodeOpenAi(value: unknown): Decoded {
  const problems: Problem[] = [];
  if (!isRecord(value))
    return {
      messages: null,
      declaredTools: null,
      problems: [{ code: 'data_type', message: 'The line is not a JSON object.' }],
    };
  for (const key of Object.keys(value))
    if (!topKeys.has(key))
      problems.push({ code: 'unrecognized_key', message: `Unknown top-level key "${key}".` });
  const declaredTools = decodeTools(value.tools, problems);
  const list = value.messages;
  if (!Array.isArray(list) || list.length === 0) {
    problems.push({ code: 'missing_messages_list', message: '"messages" is missing or empty.' });
    return { messages: null, declaredTools, problems };
  }
  const messages: ChatMessage[] = [];
  list.forEach((raw, i) => {
    const m = decodeMessage(raw, i, problems);
    if (m !== null) messages.push(m);
  });
  const names = namesOfCalls(messages);
  for (const m of messages) if (m.role === 'tool') m.name = names.get(m.toolCallId) ?? '';
  return { messages, declaredTools, problems };
}

export function decodeTools(tools: unknown, problems: Problem[]): Set<string> | null {
  if (tools === undefined) return null;
  const names = new Set<string>();
  if (!Array.isArray(tools)) {
    problems.push({ code: 'invalid_tools', message: '"tools" is not a list.' });
    return names;
  }
  tools.forEach((tool, i) => {
    const fn = isRecord(tool) ? tool.function : undefined;
    if (!isRecord(tool) || tool.type !== 'function' || !isRecord(fn) || typeof fn.name !== 'string') {
      problems.push({
        code: 'invalid_tools',
        message: `tools[${i}] is not {type: "function", function: {name, …}}.`,
      });
      return;
    }
    if (fn.parameters !== undefined && !isRecord(fn.parameters))
      problems.push({
        code: 'invalid_tools',
        message: `tools[${i}].function.parameters is not a JSON Schema object.`,
      });
    if (names.has(fn.name))
      problems.push({ code: 'invalid_tools', message: `Tool "${fn.name}" is declared twice.` });
    names.add(fn.name);
  });
  return names;
}

/** Text of a content value: a string, or the text of its parts (an image part in a user message counts). */
export function contentText(content: unknown, role: string, at: number, problems: Problem[]): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  const parts: string[] = [];
  for (const part of content) {
    if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') parts.push(part.text);
    else if (isRecord(part) && part.type === 'image_url' && role === 'user') parts.push('[image]');
    else
      problems.push({
        code: 'missing_content',
        message: `Message ${at} has a content part that is not text${role === 'user' ? ' or image_url' : ''}.`,
      });
  }
  return parts.join('\n');
}

function decodeMessage(raw: unknown, at: number, problems: Problem[]): ChatMessage | null {
  if (!isRecord(raw)) {
    problems.push({ code: 'data_type', message: `Message ${at} is not an object.` });
    return null;
  }
  const role = raw.role;
  if (typeof role !== 'string') {
    problems.push({ code: 'message_missing_key', message: `Message ${at} has no role.` });
    return null;
  }
  const allowed = keysOf[role];
  if (allowed === undefined) {
    const hint = role === 'developer' ? ' (use system)' : '';
    problems.push({ code: 'unrecognized_role', message: `Message ${at} has role "${role}"${hint}.` });
    return null;
  }
  for (const key of Object.keys(raw))
    if (!allowed.has(key))
      problems.push({
        code: 'message_unrecognized_key',
        message: `Message ${at} (${role}) has key "${key}".`,
      });
  if ('weight' in raw && (role !== 'assistant' || (raw.weight !== 0 && raw.weight !== 1)))
    problems.push({
      code: 'invalid_weight',
      message: `Message ${at}: weight must be 0 or 1, on assistant messages only.`,
    });
  const calls = role === 'assistant' ? decodeCalls(raw.tool_calls, at, problems) : [];
  if (raw.content === undefined && !(role === 'assistant' && calls.length > 0))
    problems.push({ code: 'message_missing_key', message: `Message ${at} (${role}) has no content.` });
  const text =
    raw.content === undefined || raw.content === null ? '' : contentText(raw.content, role, at, problems);
  if (text === null)
    problems.push({ code: 'missing_content', message: `Message ${at}: content is not text.` });
  const content = text ?? '';
  if (role === 'assistant') {
    const message: AssistantMessage = {
      role: 'assistant',
      content,
      toolCalls: calls,
      weight: raw.weight === 0 ? 0 : 1,
    };
    return message;
  }
  if (role === 'tool') {
    if (typeof raw.tool_call_id !== 'string')
      problems.push({ code: 'message_missing_key', message: `Message ${at} (tool) has no tool_call_id.` });
    const id = typeof raw.tool_call_id === 'string' ? raw.tool_call_id : '';
    return { role: 'tool', toolCallId: id, name: '', content, isError: false };
  }
  return { role: role as 'system' | 'user', content };
}

function decodeCalls(raw: unknown, at: number, problems: Problem[]): ToolCall[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push({ code: 'tool_call_shape', message: `Message ${at}: tool_calls is not a list.` });
    return [];
  }
  const calls: ToolCall[] = [];
  raw.forEach((call, k) => {
    const fn = isRecord(call) ? call.function : undefined;
    if (
      !isRecord(call) ||
      typeof call.id !== 'string' ||
      call.type !== 'function' ||
      !isRecord(fn) ||
      typeof fn.name !== 'string' ||
      fn.arguments === undefined
    ) {
      problems.push({
        code: 'tool_call_shape',
        message: `Message ${at}: tool_calls[${k}] is not {id, type: "function", function: {name, arguments}}.`,
      });
      return;
    }
    calls.push({ id: call.id, name: fn.name, arguments: parseArguments(fn.arguments, at, k, problems) });
  });
  return calls;
}

function parseArguments(raw: unknown, at: number, k: number, problems: Problem[]): Record<string, unknown> {
  const fail = (why: string) => {
    problems.push({
      code: 'tool_arguments_not_json',
      message: `Message ${at}: tool_calls[${k}] arguments ${why}.`,
    });
    return {};
  };
  if (typeof raw !== 'string') return fail('are not a string (OpenAI wants a JSON string)');
  try {
    const parsed: unknown = JSON.parse(raw);
    return isRecord(parsed) ? parsed : fail('are JSON but not an object');
  } catch {
    return fail('are not valid JSON');
  }
}
