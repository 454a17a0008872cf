import type { Detection, FileHead } from '../source-format.ts';
import { isObj } from '../shared/fields.ts';

// JSON.stringify(…, null, 2) of `{session: {…}, items: […]}`: `session` is the first key.
const documentStart = /^\{\s*"session"\s*:\s*\{/;

const textOf = (head: FileHead) => head.text.replace(/^\uFEFF/, '').trimStart();

/** Whether a file is a rollout document of the TypeScript Codex CLI (see document.ts). */
export function isCodexDocument(head: FileHead): boolean {
  return documentStart.test(textOf(head));
}

export function detectCodexDocument(head: FileHead): Detection {
  const text = textOf(head);
  if (!head.complete)
    return documentStart.test(text) ? { ok: true } : { ok: false, reason: 'not a Codex rollout document' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON (a rollout document half written?)' };
  }
  if (
    isObj(value) &&
    isObj(value.session) &&
    typeof value.session.id === 'string' &&
    Array.isArray(value.items)
  )
    return { ok: true };
  return { ok: false, reason: 'a JSON document without session.id and items: not a Codex rollout' };
}
