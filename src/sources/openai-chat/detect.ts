import type { Detection, FileHead } from '../source-format.ts';
import { isObj } from '../shared/fields.ts';
import { firstJsonLine } from '../shared/json-lines-head.ts';
import { firstMessage } from './shapes.ts';

const messagesKey = /"messages"\s*:\s*\[\s*\{/;
const chatRole = /"role"\s*:\s*"(system|developer|user|assistant|tool)"/;
/** ShareGPT's key: a head that shows it before any `messages` is ShareGPT's to judge. */
const conversationsKey = /"conversations"\s*:\s*\[/;

/** Whether a file is a JSON array (a dataset saved as one document) rather than JSON Lines. */
export function isOpenAiChatDocument(head: FileHead): boolean {
  return head.text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('[');
}

export function detectOpenAiChat(head: FileHead): Detection {
  return isOpenAiChatDocument(head) ? detectOpenAiChatDocument(head) : detectOpenAiChatLines(head);
}

/**
 * OpenAI chat JSONL: one conversation per line, `{"messages": [{"role": ..., "content": ...}, ...]}`,
 * or a preference pair `{"input": {"messages": [...]}, "preferred_output": [...], ...}`.
 */
export function detectOpenAiChatLines(head: FileHead): Detection {
  const first = firstJsonLine(head);
  if (first === null) return { ok: false, reason: 'not JSON Lines (empty, or a pretty-printed document)' };
  if ('text' in first) {
    // A first line longer than the head: judge by its start.
    if (first.text.startsWith('{') && looksLikeChat(first.text)) return { ok: true };
    return { ok: false, reason: 'the first lines are not JSON' };
  }
  return judge(first.value);
}

/** The same conversations as a JSON array; a head that is only the start of it is judged by its keys. */
export function detectOpenAiChatDocument(head: FileHead): Detection {
  const text = head.text.replace(/^\uFEFF/, '').trim();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (looksLikeChat(text)) return { ok: true };
    return { ok: false, reason: 'no conversation of {"role", "content"} messages at the start' };
  }
  if (!Array.isArray(value) || value.length === 0) return { ok: false, reason: 'an empty JSON array' };
  return judge(value[0]);
}

function looksLikeChat(text: string): boolean {
  const messages = messagesKey.exec(text);
  if (messages === null || !chatRole.test(text)) return false;
  const conversations = conversationsKey.exec(text);
  return conversations === null || conversations.index > messages.index;
}

function judge(value: unknown): Detection {
  const { found, message } = firstMessage(value);
  if (!found) return { ok: false, reason: 'no "messages" array on the first line' };
  // Gemini CLI's JSON Lines chats open with a header that may carry a `messages` list too.
  if (isObj(value) && 'sessionId' in value && 'projectHash' in value)
    return { ok: false, reason: 'a Gemini CLI chat, not an OpenAI chat log' };
  if (message !== undefined && !(isObj(message) && typeof message.role === 'string'))
    return { ok: false, reason: 'the first message has no "role"' };
  return { ok: true };
}
