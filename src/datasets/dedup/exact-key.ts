import { createHash } from 'node:crypto';
import type { ChatMessage } from '../example.ts';

const homePath = /(?:\/Users\/|\/home\/|[A-Za-z]:\\Users\\)[^/\\\s"'`]+/g;
const trailing = /[ \t]+$/gm;
// eslint-disable-next-line no-control-regex
const nonAscii = /[^\u0000-\u007f]/;

/** Text as compared: NFC, home directories as `~`, no trailing white space on lines. */
function normalText(text: string): string {
  let out = nonAscii.test(text) ? text.normalize('NFC') : text;
  if (out.includes('/Users/') || out.includes('/home/') || out.includes(':\\Users\\'))
    out = out.replace(homePath, '~');
  if (out.includes(' \n') || out.includes('\t\n') || out.includes(' \r')) out = out.replace(trailing, '');
  return out.trim();
}

function normalValue(value: unknown): unknown {
  if (typeof value === 'string') return normalText(value);
  if (Array.isArray(value)) return value.map(normalValue);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalValue(v)]));
  return value;
}

/** Arguments as JSON, home directories normalised (keys in the order the source wrote them). */
function argumentsText(args: Record<string, unknown>): string {
  const json = JSON.stringify(args);
  return /\/Users\/|\/home\/|:\\\\Users/.test(json) ? JSON.stringify(normalValue(args)) : json;
}

/**
 * The exact-duplicate key of an example: sha256 over its messages after normalising what varies
 * between copies of one conversation (tool-call ids become call_1…n in order, home directories,
 * Unicode form, trailing white space). Weights count: a turn trained
 * and the same turn as context are different examples.
 */
export function exactKey(messages: readonly ChatMessage[]): string {
  const ids = new Map<string, string>();
  const mint = (id: string) => {
    let out = ids.get(id);
    if (out === undefined) ids.set(id, (out = `call_${ids.size + 1}`));
    return out;
  };
  const hash = createHash('sha256');
  for (const m of messages) {
    let head = m.role;
    if (m.role === 'assistant') {
      head += `\u0000${m.weight}`;
      for (const c of m.toolCalls)
        head += `\u0000${mint(c.id)}\u0000${c.name}\u0000${argumentsText(c.arguments)}`;
    }
    if (m.role === 'tool') head += `\u0000${mint(m.toolCallId)}`;
    hash.update(`${head}\u0000${normalText(m.content)}\u0001`);
  }
  return hash.digest('base64url').slice(0, 22);
}
