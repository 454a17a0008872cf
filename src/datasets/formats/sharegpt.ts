import type { ChatMessage, ToolCall } from '../example.ts';
import type { Problem } from '../validate/finding-codes.ts';
import {
  exportedToolName,
  inferTools,
  isRecord,
  type Decoded,
  type Encoded,
  type TargetFormat,
} from './target-format.ts';

type Turn = { from: 'human' | 'gpt' | 'function_call' | 'observation'; value: string };

/**
 * LLaMA-Factory's ShareGPT: `conversations` of `{from, value}` where human and observation turns
 * sit at odd positions and gpt and function_call turns at even ones; `system` and `tools` are
 * top-level strings (`tools` a JSON list of {name, description, parameters}). A function_call
 * value is the JSON string of {name, arguments} (a list for parallel calls, answered by one
 * observation holding a JSON list of outputs). Register the file in dataset_info.json with
 * `formatting: sharegpt`, and set `mask_history: true` for `turns` examples (the format has no
 * per-turn weight). Text an assistant wrote beside tool calls has no place here and is left out.
 */
export const sharegptFormat: TargetFormat = {
  name: 'sharegpt',
  weights: false,
  refuses: true,
  encode: encodeShareGpt,
  decode: decodeShareGpt,
};

function encodeShareGpt(messages: readonly ChatMessage[]): Encoded {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  const turns: Turn[] = [];
  let outputs: string[] = [];
  const flush = () => {
    if (outputs.length > 0)
      turns.push({
        from: 'observation',
        value: outputs.length === 1 ? outputs[0]! : JSON.stringify(outputs),
      });
    outputs = [];
  };
  for (const m of messages) {
    if (m.role === 'system') continue;
    if (m.role === 'tool') {
      outputs.push(m.content);
      continue;
    }
    flush();
    const last = turns.at(-1);
    if (m.role === 'user') {
      if (last?.from === 'human') last.value = `${last.value}\n\n${m.content}`;
      else if (last?.from === 'observation')
        return {
          ok: false,
          reason: 'ShareGPT needs a model turn between a tool output and the next user message.',
        };
      else turns.push({ from: 'human', value: m.content });
      continue;
    }
    if (turns.length === 0) return { ok: false, reason: 'ShareGPT conversations start with a human turn.' };
    const turn: Turn =
      m.toolCalls.length === 0
        ? { from: 'gpt', value: m.content }
        : { from: 'function_call', value: callValue(m.toolCalls) };
    if (last?.from === 'gpt' && turn.from === 'gpt') last.value = `${last.value}\n\n${turn.value}`;
    else if (last?.from === 'gpt') turns[turns.length - 1] = turn;
    else turns.push(turn);
  }
  flush();
  const end = turns.at(-1)?.from;
  if (end !== 'gpt' && end !== 'function_call')
    return { ok: false, reason: 'ShareGPT conversations end with a model turn.' };
  const tools = inferTools(messages);
  const value: Record<string, unknown> = { conversations: turns };
  if (system.length > 0) value.system = system.join('\n\n');
  if (tools.length > 0) value.tools = JSON.stringify(tools);
  return { ok: true, value };
}

function callValue(calls: readonly ToolCall[]): string {
  const list = calls.map((c) => ({ name: exportedToolName(c.name), arguments: c.arguments }));
  return JSON.stringify(list.length === 1 ? list[0] : list);
}

const topKeys = new Set(['conversations', 'system', 'tools']);
const odd = new Set(['human', 'observation']);
const even = new Set(['gpt', 'function_call']);

function decodeShareGpt(value: unknown): Decoded {
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
  const declaredTools = decodeToolList(value.tools, problems);
  const list = value.conversations;
  if (!Array.isArray(list) || list.length === 0) {
    problems.push({ code: 'missing_messages_list', message: '"conversations" is missing or empty.' });
    return { messages: null, declaredTools, problems };
  }
  const messages: ChatMessage[] = [];
  if (value.system !== undefined) {
    if (typeof value.system === 'string') messages.push({ role: 'system', content: value.system });
    else problems.push({ code: 'missing_content', message: '"system" is not a string.' });
  }
  let open: ToolCall[] = [];
  list.forEach((raw, i) => {
    const turn = readTurn(raw, i, problems);
    if (turn === null) return;
    const position = i + 1;
    if ((position % 2 === 1 ? odd : even).has(turn.from) === false)
      problems.push({
        code: 'alternation',
        message: `Turn ${position} is "${turn.from}"; odd positions take human or observation, even ones gpt or function_call.`,
      });
    if (turn.from === 'human') messages.push({ role: 'user', content: turn.value });
    else if (turn.from === 'gpt')
      messages.push({ role: 'assistant', content: turn.value, toolCalls: [], weight: 1 });
    else if (turn.from === 'function_call') {
      open = decodeCalls(turn.value, i, problems);
      messages.push({ role: 'assistant', content: '', toolCalls: open, weight: 1 });
    } else {
      messages.push(...observations(turn.value, open));
      open = [];
    }
  });
  const first = list[0];
  if (isRecord(first) && first.from !== 'human')
    problems.push({ code: 'first_not_user', message: 'The first turn is not "human".' });
  const last = list.at(-1);
  if (isRecord(last) && !even.has(String(last.from)))
    problems.push({
      code: 'last_not_assistant',
      message: 'The last turn is not gpt or function_call.',
      severity: 'error',
    });
  return { messages, declaredTools, problems };
}

function readTurn(raw: unknown, at: number, problems: Problem[]): Turn | null {
  if (!isRecord(raw)) {
    problems.push({ code: 'data_type', message: `Turn ${at + 1} is not an object.` });
    return null;
  }
  for (const key of Object.keys(raw))
    if (key !== 'from' && key !== 'value')
      problems.push({ code: 'message_unrecognized_key', message: `Turn ${at + 1} has key "${key}".` });
  if (typeof raw.from !== 'string' || typeof raw.value !== 'string') {
    problems.push({
      code: 'message_missing_key',
      message: `Turn ${at + 1} lacks a string "from" or "value".`,
    });
    return null;
  }
  if (!odd.has(raw.from) && !even.has(raw.from)) {
    problems.push({ code: 'unrecognized_role', message: `Turn ${at + 1} is from "${raw.from}".` });
    return null;
  }
  return { from: raw.from as Turn['from'], value: raw.value };
}

function decodeCalls(value: string, at: number, problems: Problem[]): ToolCall[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    problems.push({
      code: 'tool_arguments_not_json',
      message: `Turn ${at + 1}: the function_call value is not JSON.`,
    });
    return [];
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const calls: ToolCall[] = [];
  list.forEach((call, k) => {
    if (!isRecord(call) || typeof call.name !== 'string' || !isRecord(call.arguments)) {
      problems.push({
        code: 'tool_call_shape',
        message: `Turn ${at + 1}: call ${k} is not {"name": …, "arguments": {…}}.`,
      });
      return;
    }
    calls.push({ id: `call_${at + 1}_${k + 1}`, name: call.name, arguments: call.arguments });
  });
  return calls;
}

/** One observation answers the calls before it: a JSON list of outputs when there were several. */
function observations(value: string, open: readonly ToolCall[]): ChatMessage[] {
  let outputs: string[] = [value];
  if (open.length > 1) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed) && parsed.length === open.length)
        outputs = parsed.map((o) => (typeof o === 'string' ? o : JSON.stringify(o)));
    } catch {
      // One output for several calls: the first call gets it, the others stay unanswered.
    }
  }
  return outputs.map((content, k) => ({
    role: 'tool' as const,
    toolCallId: open[k]?.id ?? '',
    name: open[k]?.name ?? '',
    content,
    isError: false,
  }));
}

function decodeToolList(tools: unknown, problems: Problem[]): Set<string> | null {
  if (tools === undefined) return null;
  const names = new Set<string>();
  let list: unknown;
  try {
    list = typeof tools === 'string' ? JSON.parse(tools) : undefined;
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list)) {
    problems.push({ code: 'invalid_tools', message: '"tools" is not a JSON string of a list.' });
    return names;
  }
  for (const tool of list)
    if (isRecord(tool) && typeof tool.name === 'string') names.add(tool.name);
    else problems.push({ code: 'invalid_tools', message: 'A tool in "tools" has no name.' });
  return names;
}
