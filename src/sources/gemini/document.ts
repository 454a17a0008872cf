import type { DocumentRecord } from '../source-format.ts';
import { FieldError, isObj, optString, type Obj } from '../shared/fields.ts';
import { toGeminiMessage } from './message.ts';
import { describeGeminiPath } from './paths.ts';
import { emptyRecord, messageRecord, problemRecord } from './record.ts';
import { readProjectRoot } from './project-root.ts';
import { headerPatches } from './session.ts';

/**
 * A Gemini JSON document: a legacy chat (rewritten whole on every update: re-reading it adds the
 * new messages and revises the changed ones) or a project's `logs.json`.
 */
export function* parseGeminiDocument(file: string, value: unknown): Iterable<DocumentRecord> {
  if (Array.isArray(value)) yield* logRecords(value);
  else if (isObj(value)) yield* chatRecords(file, value);
  else
    yield { record: problemRecord('unknown', null, 'not a JSON object or array'), raw: value, position: 1 };
}

/**
 * A legacy chat: position 1 is the header (stored without its messages), message i is at i + 2.
 * Messages are linear: each one's parent is the message before it.
 */
function* chatRecords(file: string, doc: Obj): Iterable<DocumentRecord> {
  const { messages, ...header } = doc;
  const session = optString(header, 'sessionId');
  if (session === undefined) {
    yield { record: problemRecord('header', null, 'sessionId: missing'), raw: doc, position: 1 };
    return;
  }
  const path = describeGeminiPath(file);
  yield {
    record: emptyRecord(
      'header',
      session,
      headerPatches(header, session, path, readProjectRoot(path.projectPath)),
    ),
    raw: header,
    position: 1,
  };
  if (!Array.isArray(messages)) {
    yield {
      record: problemRecord('header', session, 'messages: expected an array'),
      raw: header,
      position: 1,
    };
    return;
  }
  let parent: string | null = null;
  for (let i = 0; i < messages.length; i++) {
    const m: unknown = messages[i];
    const position = i + 2;
    try {
      if (!isObj(m)) throw new FieldError('expected a message object');
      const converted = toGeminiMessage(m, { session, parent, seq: i + 1 });
      parent = converted.message.externalId;
      const type = typeof m.type === 'string' ? m.type : 'message';
      yield { record: messageRecord(type, converted), raw: m, position };
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      yield {
        record: problemRecord('message', session, `messages[${i}]: ${error.message}`),
        raw: m,
        position,
      };
    }
  }
}

/**
 * `logs.json` holds what the user typed, per project: `{sessionId, messageId, type, message,
 * timestamp}`. The same prompts are in the chats, with ids this file does not know, so its entries
 * are kept as raw records only; they make no messages (which would repeat every prompt).
 */
function* logRecords(entries: unknown[]): Iterable<DocumentRecord> {
  for (let i = 0; i < entries.length; i++) {
    const entry: unknown = entries[i];
    const session = isObj(entry) && typeof entry.sessionId === 'string' ? entry.sessionId : null;
    const record =
      session === null
        ? problemRecord('log', null, `[${i}]: not a logs.json entry (no sessionId)`)
        : emptyRecord('log', session);
    yield { record, raw: entry, position: i + 1 };
  }
}
