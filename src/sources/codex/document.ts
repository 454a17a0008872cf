import { textOf } from '../../domain/blocks.ts';
import type { ParsedImage, DocumentRecord, ParsedRecord } from '../source-format.ts';
import type { SessionPatch } from '../../domain/session.ts';
import { contentHash } from '../shared/content-hash.ts';
import { FieldError, isObj, optString, optTimestamp, type Obj } from '../shared/fields.ts';
import { draftMessage, itemDraft } from './items.ts';
import { codexSource } from './schema.ts';
import { titleOf } from './title.ts';

/**
 * A rollout of the first, TypeScript Codex CLI (spring 2025): `rollout-<date>-<id>.json`, one JSON
 * document `{session: {timestamp, id, instructions}, items: [ResponseItem…]}` rewritten whole on
 * every save. Items carry no time: each message takes the session's (the time of the last save).
 * Item i keeps the key `<id>:<i>` across rewrites, since items are only ever appended.
 */
export function* parseCodexDocument(_file: string, value: unknown): Iterable<DocumentRecord> {
  const session = isObj(value) && isObj(value.session) ? value.session : null;
  const id = session === null ? undefined : optString(session, 'id', 'session.id');
  if (session === null || id === undefined || !isObj(value)) {
    yield { record: problem(null, 'not a Codex rollout document (no session.id)'), raw: value, position: 1 };
    return;
  }
  const timestamp = optTimestamp(session, 'timestamp', 'session.timestamp');
  const patch: SessionPatch = {
    source: codexSource,
    externalId: id,
    meta: { originator: 'codex-cli (TypeScript)' },
  };
  if (timestamp !== undefined) patch.timestamp = timestamp;
  yield { record: { ...empty(id), recordType: 'session', sessions: [patch] }, raw: session, position: 1 };
  const items = Array.isArray(value.items) ? value.items : [];
  let titled = false;
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    const position = i + 2;
    try {
      if (!isObj(item)) throw new FieldError('expected an item object');
      const record = itemRecord(item, id, i + 1, timestamp ?? null);
      const message = record.message;
      if (
        !titled &&
        message?.role === 'user' &&
        message.kind === 'message' &&
        message.text.trim().length > 0
      ) {
        titled = true;
        record.sessions = [{ source: codexSource, externalId: id, fallbackTitle: titleOf(message.text) }];
      }
      yield { record, raw: item, position };
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      yield { record: problem(id, `items[${i}]: ${error.message}`), raw: item, position };
    }
  }
}

function itemRecord(item: Obj, session: string, index: number, timestamp: number | null): ParsedRecord {
  const images: ParsedImage[] = [];
  const externalId = `${session}:${index}`;
  const draft = itemDraft(item, images, externalId);
  const record = { ...empty(session), recordType: typeof item.type === 'string' ? item.type : 'item' };
  if (draft === null) return record;
  record.images = images;
  record.message = draftMessage(draft, {
    session,
    externalId,
    seq: index + 1,
    timestamp,
    model: null,
    contentHash: contentHash(draft.role, draft.blocks),
    text: textOf(draft.blocks),
  });
  return record;
}

function empty(session: string | null): ParsedRecord {
  return {
    recordType: 'item',
    sessionExternalId: session,
    sessions: [],
    message: null,
    usage: null,
    images: [],
    problem: null,
  };
}

function problem(session: string | null, reason: string): ParsedRecord {
  return { ...empty(session), problem: reason };
}
