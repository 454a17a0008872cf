import { describe, isObj, type Obj } from '../shared/fields.ts';

/**
 * One conversation of an OpenAI chat file, whichever of OpenAI's training shapes wrote it:
 * - supervised fine-tuning: `{messages, tools?, parallel_tool_calls?}`;
 * - preference fine-tuning (DPO): `{input: {messages, tools?, parallel_tool_calls?},
 *   preferred_output: [...], non_preferred_output: [...]}`, the two outputs being answers to the
 *   same input: the preferred one continues the thread, the other is a branch beside it;
 * - a Batch API request: `{custom_id, method, url: "/v1/chat/completions", body: {model, messages}}`.
 * `settings` is the object holding `tools`, `parallel_tool_calls` and `model`.
 */
export type ChatShape = {
  messages: unknown[];
  settings: Obj;
  preference: { preferred: unknown[]; nonPreferred: unknown[] } | null;
};

/** The conversation a line (or array element) holds, or why it holds none. */
export function chatShape(value: Obj): ChatShape | string {
  if (Array.isArray(value.messages)) return { messages: value.messages, settings: value, preference: null };
  const body = value.body;
  if (isObj(body) && Array.isArray(body.messages))
    return { messages: body.messages, settings: body, preference: null };
  const input = value.input;
  // Only with an output beside it: other files hold an `input.messages` of their own (ChatGPT's
  // model_comparisons.json, in the export beside conversations.json).
  const paired = 'preferred_output' in value || 'non_preferred_output' in value;
  if (paired && isObj(input) && Array.isArray(input.messages)) {
    const preferred = outputList(value.preferred_output, 'preferred_output');
    if (typeof preferred === 'string') return preferred;
    const nonPreferred = outputList(value.non_preferred_output, 'non_preferred_output');
    if (typeof nonPreferred === 'string') return nonPreferred;
    return { messages: input.messages, settings: input, preference: { preferred, nonPreferred } };
  }
  return `messages: expected an array, got ${describe(value.messages)}`;
}

function outputList(value: unknown, key: string): unknown[] | string {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : `${key}: expected an array of messages, got ${describe(value)}`;
}

/** The first message of a conversation, for detection: undefined when it has none. */
export function firstMessage(value: unknown): { found: boolean; message: unknown } {
  if (!isObj(value)) return { found: false, message: undefined };
  const shape = chatShape(value);
  if (typeof shape === 'string') return { found: false, message: undefined };
  return { found: true, message: shape.messages[0] };
}
