import type { Detection, FileHead } from '../source-format.ts';
import { isObj } from '../shared/fields.ts';
import { messageTypes } from './schema.ts';

type Layout = 'lines' | 'document';

function textOf(head: FileHead): string {
  return head.text.replace(/^\uFEFF/, '').trimStart();
}

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  return (newline === -1 ? text : text.slice(0, newline)).trim();
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * How a Gemini file is written, judged by its first bytes: the legacy chats and `logs.json` are
 * pretty-printed JSON documents, the newer chats JSON Lines. The extension only breaks a tie (a
 * compact document whose one line is longer than the head).
 */
export function geminiLayout(head: FileHead): Layout {
  const text = textOf(head);
  if (text.startsWith('[')) return 'document';
  const first = firstLine(text);
  if (first === '{') return 'document';
  const value = parseOrUndefined(first);
  // A JSON Lines header may carry `messages` too (an empty list, or the history of a migrated
  // chat): a complete first line with more lines after it is JSON Lines all the same.
  if (isObj(value)) return Array.isArray(value.messages) && !moreLines(text) ? 'document' : 'lines';
  return head.path.endsWith('.json') ? 'document' : 'lines';
}

function moreLines(text: string): boolean {
  const newline = text.indexOf('\n');
  return newline !== -1 && text.slice(newline + 1).trim().length > 0;
}

/** A JSON Lines chat starts with its session header (or, if that was lost, with a chat record). */
export function detectGeminiLines(head: FileHead): Detection {
  const text = textOf(head);
  if (text.length === 0) return { ok: false, reason: 'empty file' };
  const value = parseOrUndefined(firstLine(text));
  if (value === undefined) return { ok: false, reason: 'the first line is not JSON' };
  if (!isObj(value)) return { ok: false, reason: 'the first line is not a JSON object' };
  if (typeof value.sessionId === 'string' && typeof value.projectHash === 'string') return { ok: true };
  if (isObj(value.$set) || typeof value.$rewindTo === 'string') return { ok: true };
  if (typeof value.id === 'string' && typeof value.type === 'string' && messageTypes.has(value.type))
    return { ok: true };
  if (typeof value.uuid === 'string' || value.type === 'session_meta')
    return { ok: false, reason: 'a Claude Code or Codex transcript, not a Gemini CLI chat' };
  return { ok: false, reason: 'no Gemini session header (sessionId, projectHash) on the first line' };
}

const chatStart = /^\{\s*"sessionId"\s*:\s*"/;
const logsStart = /^\[\s*(\]|\{\s*"sessionId"\s*:)/;

/**
 * A legacy chat (`{sessionId, projectHash, ..., messages: [...]}`) or a `logs.json` array. Gemini
 * writes `sessionId` first, which lets a head cut short (or a file half rewritten) be recognised.
 */
export function detectGeminiDocument(head: FileHead): Detection {
  const text = textOf(head);
  if (text.length === 0) return { ok: false, reason: 'empty file' };
  const value = head.complete ? parseOrUndefined(text) : undefined;
  if (value === undefined) {
    if (chatStart.test(text) || logsStart.test(text)) return { ok: true };
    return { ok: false, reason: 'does not start like a Gemini CLI chat or logs.json' };
  }
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    if (first === undefined || (isObj(first) && typeof first.sessionId === 'string')) return { ok: true };
    return { ok: false, reason: 'a JSON array, but not of Gemini logs.json entries' };
  }
  if (!isObj(value)) return { ok: false, reason: 'not a JSON object or array' };
  if (typeof value.sessionId === 'string' && Array.isArray(value.messages)) return { ok: true };
  if ('history' in value) return { ok: false, reason: 'a /chat save checkpoint, not a chat' };
  return { ok: false, reason: 'no Gemini session fields (sessionId, messages)' };
}
