import type { Detection, FileHead } from '../source-format.ts';
import { isObj } from '../shared/fields.ts';
import { firstJsonLine } from '../shared/json-lines-head.ts';

const messagesKey = /"messages"\s*:\s*\[\s*\{/;
const chatRole = /"role"\s*:\s*"(system|developer|user|assistant|tool)"/;

/** OpenAI chat JSONL: one conversation per line, `{"messages": [{"role": ..., "content": ...}, ...]}`. */
export function detectOpenAiChat(head: FileHead): Detection {
  const first = firstJsonLine(head);
  if (first === null) return { ok: false, reason: 'not JSON Lines (empty, or a pretty-printed document)' };
  if ('text' in first) {
    // A first line longer than the head: judge by its start.
    if (first.text.startsWith('{') && messagesKey.test(first.text) && chatRole.test(first.text))
      return { ok: true };
    return { ok: false, reason: 'the first lines are not JSON' };
  }
  const { value } = first;
  if (!isObj(value) || !Array.isArray(value.messages))
    return { ok: false, reason: 'no "messages" array on the first line' };
  // Gemini CLI's JSON Lines chats open with a header that may carry a `messages` list too.
  if ('sessionId' in value && 'projectHash' in value)
    return { ok: false, reason: 'a Gemini CLI chat, not an OpenAI chat log' };
  const message: unknown = value.messages[0];
  if (message !== undefined && !(isObj(message) && typeof message.role === 'string'))
    return { ok: false, reason: 'the first message has no "role"' };
  return { ok: true };
}
