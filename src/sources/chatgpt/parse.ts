import type { SessionPatch } from '../../domain/session.ts';
import type { DocumentRecord } from '../source-format.ts';
import { chatRecord, problemRecord } from '../shared/chat-record.ts';
import { FieldError, describe, isObj, optObj, optString, type Obj } from '../shared/fields.ts';
import { NodeReader, epochMs } from './message.ts';
import { chatgptSource, conversationMetaKeys } from './schema.ts';
import { layOutTree } from './tree.ts';

/**
 * Reads a ChatGPT export: one session per conversation, one message per node of its `mapping`
 * (the node id is the message's natural key), every branch kept. `position` is the conversation's
 * 1-based place in the file; a broken node is reported with its conversation and node id.
 */
export function* parseChatgptExport(_file: string, value: unknown): Iterable<DocumentRecord> {
  const conversations = conversationsOf(value);
  if (conversations === null) {
    const problem = `expected an array of conversations, got ${describe(value)}`;
    yield { record: problemRecord('export', null, problem), raw: value, position: 1 };
    return;
  }
  for (let i = 0; i < conversations.length; i++) yield* parseConversation(conversations[i], i + 1);
}

/** An export is an array; some tools wrap it (`{conversations: [...]}`) or save one conversation. */
function conversationsOf(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (isObj(value) && Array.isArray(value.conversations)) return value.conversations;
  if (isObj(value) && 'mapping' in value) return [value];
  return null;
}

function* parseConversation(conversation: unknown, position: number): Iterable<DocumentRecord> {
  const fail = (session: string | null, reason: string) => ({
    record: problemRecord('conversation', session, reason),
    raw: conversation,
    position,
  });
  if (!isObj(conversation)) {
    yield fail(null, `conversation: expected an object, got ${describe(conversation)}`);
    return;
  }
  const id = idOf(conversation);
  if (id === undefined) {
    yield fail(null, 'conversation: no "conversation_id" or "id"');
    return;
  }
  let header: SessionPatch[];
  let mapping: Obj;
  let currentNode: string | undefined;
  try {
    header = sessionPatches(conversation, id);
    const found = optObj(conversation, 'mapping');
    if (found === undefined) throw new FieldError('mapping: missing');
    mapping = found;
    currentNode = optString(conversation, 'current_node');
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    yield fail(id, `conversation ${id}: ${error.message}`);
    return;
  }
  const { mapping: _nodes, ...withoutNodes } = conversation;
  yield { record: chatRecord('conversation', id, header, null), raw: withoutNodes, position };

  const tree = layOutTree(mapping, currentNode);
  const reader = new NodeReader(id, mapping, tree.canonical);
  for (let seq = 0; seq < tree.nodes.length; seq++) {
    const placed = tree.nodes[seq]!;
    yield { record: reader.read(placed, seq + 1), raw: mapping[placed.id], position };
  }
}

function idOf(conversation: Obj): string | undefined {
  for (const key of ['conversation_id', 'id']) {
    const v = conversation[key];
    if (typeof v === 'string' && v.length > 0) return v;
  }
  return undefined;
}

function sessionPatches(conversation: Obj, id: string): SessionPatch[] {
  const patch: SessionPatch = { source: chatgptSource, externalId: id };
  const title = optString(conversation, 'title');
  if (title !== undefined && title.trim().length > 0) patch.title = title;
  const model = optString(conversation, 'default_model_slug');
  if (model !== undefined) patch.model = model;
  const meta: Obj = {};
  for (const [key, name] of conversationMetaKeys) {
    const v = conversation[key];
    if (v !== undefined && v !== null) meta[name] = v;
  }
  patch.meta = meta;
  const created = epochMs(conversation, 'create_time');
  if (created !== undefined) patch.timestamp = created;
  const updated = epochMs(conversation, 'update_time');
  return updated === undefined
    ? [patch]
    : [patch, { source: chatgptSource, externalId: id, timestamp: updated }];
}
