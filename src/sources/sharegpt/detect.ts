import type { Detection, FileHead } from '../source-format.ts';
import { isObj } from '../shared/fields.ts';
import { firstJsonLine } from '../shared/json-lines-head.ts';

const conversationsKey = /"conversations"\s*:\s*\[/;
/** A turn names its speaker by `from` (ShareGPT) or, in many re-exported datasets, by `role`. */
const fromKey = /"(from|role)"\s*:\s*"/;

/** ShareGPT comes as one JSON array of conversations or as JSON Lines, one conversation a line. */
export function isShareGptDocument(head: FileHead): boolean {
  return head.text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('[');
}

export function detectShareGpt(head: FileHead): Detection {
  return isShareGptDocument(head) ? detectShareGptDocument(head) : detectShareGptLines(head);
}

export function detectShareGptDocument(head: FileHead): Detection {
  const text = head.text.replace(/^\uFEFF/, '').trim();
  if (!text.startsWith('[')) return { ok: false, reason: 'not a JSON array' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Only the head of a larger file: judge by the keys it shows.
    if (conversationsKey.test(text) && fromKey.test(text)) return { ok: true };
    return { ok: false, reason: 'no "conversations" of {"from", "value"} turns at the start' };
  }
  if (!Array.isArray(value) || value.length === 0) return { ok: false, reason: 'an empty JSON array' };
  return judge(value[0]);
}

export function detectShareGptLines(head: FileHead): Detection {
  const first = firstJsonLine(head);
  if (first === null) return { ok: false, reason: 'not JSON Lines (empty, or a pretty-printed document)' };
  if ('text' in first) {
    if (first.text.startsWith('{') && conversationsKey.test(first.text) && fromKey.test(first.text))
      return { ok: true };
    return { ok: false, reason: 'the first lines are not JSON' };
  }
  return judge(first.value);
}

function judge(conversation: unknown): Detection {
  if (!isObj(conversation) || !Array.isArray(conversation.conversations))
    return { ok: false, reason: 'no "conversations" array in the first conversation' };
  const turn: unknown = conversation.conversations[0];
  if (
    turn !== undefined &&
    !(isObj(turn) && (typeof turn.from === 'string' || typeof turn.role === 'string'))
  )
    return { ok: false, reason: 'the first turn has no "from" (or "role")' };
  return { ok: true };
}
