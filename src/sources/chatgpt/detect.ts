import type { Detection, FileHead } from '../source-format.ts';
import { isObj } from '../shared/fields.ts';

const mappingKey = /"mapping"\s*:\s*\{/;
const nodeShape = /"children"\s*:\s*\[/;

/**
 * A ChatGPT export is one JSON document (usually on one line): an array of conversations, each
 * holding its messages as a `mapping` tree. The head of a large export is only its beginning, so
 * the keys are looked for in the text; a head that is the whole file is checked by parsing it.
 */
export function detectChatgpt(head: FileHead): Detection {
  const text = head.text.replace(/^\uFEFF/, '').trimStart();
  if (text.length === 0) return { ok: false, reason: 'empty file' };
  if (text[0] !== '[' && text[0] !== '{') return { ok: false, reason: 'not a JSON document' };
  const whole = parseWhole(text);
  if (whole !== undefined) return judge(whole);
  if (mappingKey.test(text) && nodeShape.test(text)) return { ok: true };
  return { ok: false, reason: 'no conversation with a "mapping" of messages at the start' };
}

function parseWhole(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function judge(value: unknown): Detection {
  const first = Array.isArray(value)
    ? value[0]
    : isObj(value) && Array.isArray(value.conversations)
      ? value.conversations[0]
      : value;
  if (first === undefined) return { ok: false, reason: 'no conversations in the file' };
  if (isObj(first) && isObj(first.mapping)) return { ok: true };
  return { ok: false, reason: 'no conversation with a "mapping" of messages' };
}
