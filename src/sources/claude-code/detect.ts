import type { Detection, FileHead } from '../source-format.ts';
import { isObj } from '../shared/fields.ts';
import { knownRecordTypes } from './schema.ts';

const typeField = /"type"\s*:\s*"([a-z_-]+)"/;
/**
 * How Claude Code starts a conversation line: `{"parentUuid":…`, with the session id soon after.
 * An assistant line names its own type only after its message, which can be far past the head.
 */
const envelopeStart = /^\{\s*"parentUuid"\s*:\s*(null|")/;
const sessionField = /"sessionId"\s*:\s*"/;

/** Lines of the head looked at before giving up: a few broken lines must not hide a whole file. */
const linesToTry = 20;

/**
 * A Claude Code transcript is JSON Lines whose records carry a known `type` and Claude's envelope.
 * The verdict comes from the first line that parses: a broken first line (a crash mid-write, a
 * stray byte) is the import's to report, not a reason to drop every good line after it.
 */
export function detectClaude(head: FileHead): Detection {
  const text = head.text.replace(/^\uFEFF/, '');
  if (text.trim().length === 0) return { ok: false, reason: 'empty file' };
  const lines = text.split('\n', linesToTry + 1);
  // The head may end mid-line; that last piece is judged only when it is all there is.
  const whole = head.complete || lines.length === 1 ? lines : lines.slice(0, -1);
  const firstLine = lines.find((l) => l.trim().length > 0)!.trim();
  if (firstLine === '{' || firstLine === '[') {
    return {
      ok: false,
      reason: 'a pretty-printed JSON document, not JSON Lines (a Gemini CLI session or an export?)',
    };
  }
  let tried = 0;
  let firstVerdict: Detection | null = null;
  for (const raw of whole.slice(0, linesToTry)) {
    const line = raw.trim();
    if (line.length === 0) continue;
    tried++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const verdict = judge(value);
    // Another format's mark, or Claude's, settles it; a record of no known shape (a type newer
    // than this agentlog, a damaged field) leaves it to the lines after it.
    if (verdict !== 'unsure') return verdict;
    firstVerdict ??= { ok: false, reason: 'no Claude Code record type on the first JSON line' };
  }
  if (firstVerdict !== null) return firstVerdict;
  // No line in the head parses. A first line longer than the head (a huge snapshot) is judged by its start.
  const type = typeField.exec(firstLine)?.[1];
  if (firstLine.startsWith('{') && type !== undefined && knownRecordTypes.has(type)) return { ok: true };
  if (envelopeStart.test(firstLine) && sessionField.test(firstLine)) return { ok: true };
  return {
    ok: false,
    reason: tried <= 1 ? 'the first line is not JSON' : `none of the first ${tried} lines is JSON`,
  };
}

function judge(value: unknown): Detection | 'unsure' {
  if (!isObj(value)) return { ok: false, reason: 'the first JSON line is not an object' };
  if ('sessionId' in value && 'projectHash' in value) {
    return { ok: false, reason: 'a Gemini CLI session, not a Claude Code transcript' };
  }
  if (value.type === 'session_meta' && 'payload' in value) {
    return { ok: false, reason: 'a Codex rollout, not a Claude Code transcript' };
  }
  const type = value.type;
  if (typeof type === 'string' && knownRecordTypes.has(type)) return { ok: true };
  if (typeof type === 'string' && ('sessionId' in value || 'uuid' in value)) return { ok: true };
  return 'unsure';
}
