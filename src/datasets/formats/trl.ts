import type { AssistantMessage, ChatMessage, ToolCall } from '../example.ts';
import type { Problem } from '../validate/finding-codes.ts';
import { contentText, decodeTools } from './openai.ts';
import {
  exportedToolName,
  inferTools,
  isRecord,
  type Decoded,
  type Encoded,
  type TargetFormat,
} from './target-format.ts';

/**
 * Hugging Face TRL conversational data: `messages` (every assistant message trained), or
 * `prompt` + `completion` when an example has context turns that must not be trained (TRL
 * trains the completion only). Tool calls carry `arguments` as JSON objects (chat templates
 * serialise them), tool messages carry the tool's `name`; `tools` lists the functions.
 */
export const trlFormat: TargetFormat = {
  name: 'trl',
  weights: true,
  refuses: true,
  encode(messages: readonly ChatMessage[]): Encoded {
    const tools = inferTools(messages).map((t) => ({ type: 'function', function: t }));
    const withTools = (value: Record<string, unknown>) => (tools.length === 0 ? value : { ...value, tools });
    const firstTrained = messages.findIndex((m) => m.role === 'assistant' && m.weight === 1);
    const context = messages.slice(0, Math.max(0, firstTrained));
    if (!context.some((m) => m.role === 'assistant'))
      return { ok: true, value: withTools({ messages: messages.map(encodeMessage) }) };
    const rest = messages.slice(firstTrained);
    if (rest.some((m) => m.role === 'assistant' && m.weight === 0))
      return {
        ok: false,
        reason: 'TRL can leave only leading context untrained (prompt), not a later assistant turn.',
      };
    return {
      ok: true,
      value: withTools({ prompt: context.map(encodeMessage), completion: rest.map(encodeMessage) }),
    };
  },
  decode: decodeTrl,
};

function encodeMessage(m: ChatMessage): Record<string, unknown> {
  switch (m.role) {
    case 'system':
    case 'user':
      return { role: m.role, content: m.content };
    case 'tool':
      return { role: 'tool', name: exportedToolName(m.name), tool_call_id: m.toolCallId, content: m.content };
    case 'assistant':
      return m.toolCalls.length === 0
        ? { role: 'assistant', content: m.content }
        : {
            role: 'assistant',
            content: m.content,
            tool_calls: m.toolCalls.map((c) => ({
              id: c.id,
              type: 'function',
              function: { name: exportedToolName(c.name), arguments: c.arguments },
            })),
          };
    default:
      return m satisfies never;
  }
}

const topKeys = new Set(['messages', 'prompt', 'completion', 'tools']);
const keysOf: Record<string, ReadonlySet<string>> = {
  system: new Set(['role', 'content']),
  user: new Set(['role', 'content']),
  assistant: new Set(['role', 'content', 'tool_calls', 'reasoning_content', 'thinking']),
  tool: new Set(['role', 'content', 'name', 'tool_call_id']),
};

function decodeTrl(value: unknown): Decoded {
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
  const split = Array.isArray(value.prompt) && Array.isArray(value.completion);
  const list: unknown[] | null = Array.isArray(value.messages)
    ? value.messages
    : split
      ? [...(value.prompt as unknown[]), ...(value.completion as unknown[])]
      : null;
  if (list === null || list.length === 0) {
    problems.push({
      code: 'missing_messages_list',
      message: '"messages" (or "prompt" and "completion") is missing or empty.',
    });
    return { messages: null, declaredTools, problems };
  }
  const promptLength = split && !Array.isArray(value.messages) ? (value.prompt as unknown[]).length : 0;
  const messages: ChatMessage[] = [];
  let open: ToolCall[] = [];
  list.forEach((raw, i) => {
    const m = decodeMessage(raw, i, i < promptLength, problems);
    if (m === null) return;
    if (m.role === 'assistant') open = [...m.toolCalls];
    if (m.role === 'tool') {
      // Without an id, a tool message answers the next open call of its name (templates link by order).
      const call =
        open.find((c) => c.id === m.toolCallId) ??
        (m.toolCallId === '' ? (open.find((c) => c.name === m.name) ?? open[0]) : undefined);
      if (call !== undefined) {
        m.toolCallId = call.id;
        open = open.filter((c) => c !== call);
      }
    }
    messages.push(m);
  });
  return { messages, declaredTools, problems };
}

function decodeMessage(raw: unknown, at: number, inPrompt: boolean, problems: Problem[]): ChatMessage | null {
  if (!isRecord(raw)) {
    problems.push({ code: 'data_type', message: `Message ${at} is not an object.` });
    return null;
  }
  const role = raw.role;
  const allowed = typeof role === 'string' ? keysOf[role] : undefined;
  if (typeof role !== 'string' || allowed === undefined) {
    problems.push(
      typeof role === 'string'
        ? { code: 'unrecognized_role', message: `Message ${at} has role "${role}".` }
        : { code: 'message_missing_key', message: `Message ${at} has no role.` },
    );
    return null;
  }
  for (const key of Object.keys(raw))
    if (!allowed.has(key))
      problems.push({
        code: 'message_unrecognized_key',
        message: `Message ${at} (${role}) has key "${key}".`,
      });
  const content =
    raw.content === undefined || raw.content === null ? '' : contentText(raw.content, role, at, problems);
  if (content === null)
    problems.push({ code: 'missing_content', message: `Message ${at}: content is not text.` });
  if (role === 'assistant') {
    const message: AssistantMessage = {
      role: 'assistant',
      content: content ?? '',
      toolCalls: decodeCalls(raw.tool_calls, at, problems),
      weight: inPrompt ? 0 : 1,
    };
    return message;
  }
  if (role === 'tool') {
    const name = typeof raw.name === 'string' ? raw.name : '';
    const id = typeof raw.tool_call_id === 'string' ? raw.tool_call_id : '';
    if (name === '' && id === '')
      problems.push({
        code: 'message_missing_key',
        message: `Message ${at} (tool) has neither name nor tool_call_id.`,
      });
    return { role: 'tool', toolCallId: id, name, content: content ?? '', isError: false };
  }
  return { role: role as 'system' | 'user', content: content ?? '' };
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
    if (!isRecord(call) || !isRecord(fn) || typeof fn.name !== 'string') {
      problems.push({
        code: 'tool_call_shape',
        message: `Message ${at}: tool_calls[${k}] is not {type: "function", function: {name, arguments}}.`,
      });
      return;
    }
    let args = fn.arguments;
    if (!isRecord(args)) {
      problems.push({
        code: 'tool_arguments_not_json',
        message: `Message ${at}: tool_calls[${k}] arguments are not a JSON object (TRL wants an object, not a string).`,
      });
      args = {};
    }
    const id = typeof call.id === 'string' ? call.id : `call_${at}_${k}`;
    calls.push({ id, name: fn.name, arguments: args as Record<string, unknown> });
  });
  return calls;
}
