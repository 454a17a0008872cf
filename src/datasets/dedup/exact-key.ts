import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.ts';
import type { ChatMessage } from '../example.ts';

const homePath = /(?:\/Users\/|\/home\/|[A-Za-z]:\\Users\\)[^/\\\s"'`]+/g;

/** Text as compared: NFC, home directories as `~`, no trailing white space on lines. */
function normalText(text: string): string {
  return text
    .normalize('NFC')
    .replace(homePath, '~')
    .replace(/[ \t]+$/gm, '')
    .trim();
}

function normalValue(value: unknown): unknown {
  if (typeof value === 'string') return normalText(value);
  if (Array.isArray(value)) return value.map(normalValue);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalValue(v)]));
  return value;
}

/**
 * The exact-duplicate key of an example: sha256 of the canonical JSON of its messages after
 * normalising what varies between copies of one conversation (tool-call ids become call_1…n in
 * order, home directories, Unicode form, trailing white space). Weights count: a turn trained
 * and the same turn as context are different examples.
 */
export function exactKey(messages: readonly ChatMessage[]): string {
  const ids = new Map<string, string>();
  const mint = (id: string) => {
    let out = ids.get(id);
    if (out === undefined) ids.set(id, (out = `call_${ids.size + 1}`));
    return out;
  };
  const normal = messages.map((m) => {
    if (m.role === 'assistant')
      return {
        role: m.role,
        content: normalText(m.content),
        weight: m.weight,
        calls: m.toolCalls.map((c) => ({
          id: mint(c.id),
          name: c.name,
          arguments: normalValue(c.arguments),
        })),
      };
    if (m.role === 'tool') return { role: m.role, id: mint(m.toolCallId), content: normalText(m.content) };
    return { role: m.role, content: normalText(m.content) };
  });
  return createHash('sha256').update(canonicalJson(normal)).digest('base64url').slice(0, 22);
}
