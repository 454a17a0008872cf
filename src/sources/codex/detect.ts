import type { Detection, FileHead } from '../source-format.ts';
import { isObj } from '../shared/fields.ts';
import { responseItemTypes } from './schema.ts';

// A session_meta line can outgrow the head (21 KB of instructions, dynamic tools): judge by its start,
// where scalar fields (timestamp, a paginated thread's ordinal) may come before the type.
const scalarField = String.raw`"[^"\\]*"\s*:\s*(?:"[^"\\]*"|-?\d+(?:\.\d+)?|null|true|false)\s*,\s*`;
const metaStart = new RegExp(String.raw`^\{\s*(?:${scalarField})*"type"\s*:\s*"session_meta"`);

/**
 * A Codex rollout is JSON Lines whose first line is a `session_meta` envelope; the oldest
 * rollouts start with a bare `{id, timestamp, …}` line followed by state markers or bare items.
 */
export function detectCodex(head: FileHead): Detection {
  const text = head.text.replace(/^\uFEFF/, '');
  if (text.trim().length === 0) return { ok: false, reason: 'empty file' };
  // A blank line holds no record (the importer skips empty lines), so a rollout may start with one.
  const lines = text.split('\n').filter((line) => line.trim().length > 0);
  const first = lines[0]!.trim();
  if (first === '{' || first === '[') {
    return {
      ok: false,
      reason:
        'a pretty-printed JSON document, not JSON Lines (an early Codex rollout-*.json or another agent?)',
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(first);
  } catch {
    if (metaStart.test(first)) return { ok: true };
    return { ok: false, reason: 'the first line is not JSON' };
  }
  if (!isObj(value)) return { ok: false, reason: 'the first line is not a JSON object' };
  if (value.type === 'session_meta' && isObj(value.payload)) return { ok: true };
  if ('sessionId' in value && 'projectHash' in value)
    return { ok: false, reason: 'a Gemini CLI session, not a Codex rollout' };
  if (typeof value.type === 'string' && ('uuid' in value || 'sessionId' in value))
    return { ok: false, reason: 'a Claude Code transcript, not a Codex rollout' };
  if (isLegacyMeta(value) && legacyBody(lines[1])) return { ok: true };
  return { ok: false, reason: 'the first line is not a Codex session_meta record' };
}

/** The bare first line of a rollout written before the `{type, payload}` envelope. */
export function isLegacyMeta(value: Record<string, unknown>): boolean {
  return value.type === undefined && typeof value.id === 'string' && typeof value.timestamp === 'string';
}

function legacyBody(line: string | undefined): boolean {
  if (line === undefined || line.trim().length === 0) return true;
  try {
    const value: unknown = JSON.parse(line);
    if (!isObj(value)) return false;
    return (
      value.record_type === 'state' || (typeof value.type === 'string' && responseItemTypes.has(value.type))
    );
  } catch {
    // The head may end inside the second line.
    return /^\{\s*"(record_type|type)"/.test(line.trim());
  }
}
