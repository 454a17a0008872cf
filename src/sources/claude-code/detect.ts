import type { Detection, FileHead } from '../source-format.ts';
import { isObj } from '../shared/fields.ts';
import { knownRecordTypes } from './schema.ts';

const typeField = /"type"\s*:\s*"([a-z_-]+)"/;

/** A Claude Code transcript is JSON Lines whose records carry a known `type` and Claude's envelope. */
export function detectClaude(head: FileHead): Detection {
  const text = head.text.replace(/^\uFEFF/, '');
  if (text.trim().length === 0) return { ok: false, reason: 'empty file' };
  const newline = text.indexOf('\n');
  const first = (newline === -1 ? text : text.slice(0, newline)).trim();
  if (first === '{' || first === '[') {
    return {
      ok: false,
      reason: 'a pretty-printed JSON document, not JSON Lines (a Gemini CLI session or an export?)',
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(first);
  } catch {
    // The first line may be longer than the head we read (a huge snapshot); judge by its start.
    const type = typeField.exec(first)?.[1];
    if (first.startsWith('{') && type !== undefined && knownRecordTypes.has(type)) return { ok: true };
    return { ok: false, reason: 'the first line is not JSON' };
  }
  if (!isObj(value)) return { ok: false, reason: 'the first line is not a JSON object' };
  if ('sessionId' in value && 'projectHash' in value) {
    return { ok: false, reason: 'a Gemini CLI session, not a Claude Code transcript' };
  }
  if (value.type === 'session_meta' && 'payload' in value) {
    return { ok: false, reason: 'a Codex rollout, not a Claude Code transcript' };
  }
  const type = value.type;
  if (typeof type === 'string' && knownRecordTypes.has(type)) return { ok: true };
  if (typeof type === 'string' && ('sessionId' in value || 'uuid' in value)) return { ok: true };
  return { ok: false, reason: 'no Claude Code record type on the first line' };
}
