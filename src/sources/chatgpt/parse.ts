import type { Block } from '../../domain/blocks.ts';
import { textOf } from '../../domain/blocks.ts';
import type { MessageKind, Role } from '../../domain/message.ts';
import type { SessionPatch } from '../../domain/session.ts';
import type { DocumentRecord, ParsedRecord } from '../source-format.ts';
import { chatMessage, chatRecord, problemRecord, titleFrom } from '../shared/chat-record.ts';
import { FieldError, describe, isObj, optObj, optString, reqString, type Obj } from '../shared/fields.ts';
import { toContent } from './content.ts';
import {
  authorRoles,
  chatgptSource,
  contextContentTypes,
  conversationMetaKeys,
  everyone,
  messageMetadataKeys,
  messageMetaKeys,
} from './schema.ts';
import { layOutTree, type PlacedNode } from './tree.ts';

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

/** ChatGPT writes epoch seconds with a fraction; a string is taken as ISO-8601 (other tools' copies). */
function epochMs(o: Obj, key: string, path = key): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v * 1000);
  const ms = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(ms)) throw new FieldError(`${path}: expected epoch seconds, got ${JSON.stringify(v)}`);
  return ms;
}

/** Turns the nodes of one conversation into records; remembers whether a title was found. */
class NodeReader {
  private readonly session: string;
  private readonly mapping: Obj;
  private readonly canonical: Set<string>;
  private titled = false;

  constructor(session: string, mapping: Obj, canonical: Set<string>) {
    this.session = session;
    this.mapping = mapping;
    this.canonical = canonical;
  }

  read(placed: PlacedNode, seq: number): ParsedRecord {
    const node = this.mapping[placed.id];
    const where = `conversation ${this.session} node ${placed.id}`;
    if (!isObj(node))
      return problemRecord('node', this.session, `${where}: expected an object, got ${describe(node)}`);
    if (node.message === null || node.message === undefined)
      return chatRecord('node', this.session, [], null);
    try {
      return this.readMessage(placed, node, seq);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      return problemRecord('message', this.session, `${where}: ${error.message}`);
    }
  }

  private readMessage(placed: PlacedNode, node: Obj, seq: number): ParsedRecord {
    const message = optObj(node, 'message')!;
    const author = optObj(message, 'author', 'message.author');
    if (author === undefined) throw new FieldError('message.author: missing');
    const authorRole = reqString(author, 'role', 'message.author.role');
    if (!authorRoles.has(authorRole))
      throw new FieldError(`message.author.role: unknown role ${JSON.stringify(authorRole)}`);
    const role = authorRole as Role;
    const content = toContent(optObj(message, 'content', 'message.content') ?? {}, 'message.content');
    const metadata = optObj(message, 'metadata', 'message.metadata') ?? {};
    const recipient = optString(message, 'recipient', 'message.recipient') ?? everyone;
    const authorName = optString(author, 'name', 'message.author.name');
    const timestamp = epochMs(message, 'create_time', 'message.create_time') ?? null;
    const model = optString(metadata, 'model_slug', 'message.metadata.model_slug') ?? null;
    const hidden = metadata.is_visually_hidden_from_conversation === true;
    const canonical = this.canonical.has(placed.id);

    let blocks = content.blocks;
    if (role === 'assistant' && recipient !== everyone)
      blocks = [toolCall(placed.id, recipient, content.contentType, blocks)];
    if (role === 'tool') {
      const call = this.callOf(placed.messageParent);
      blocks = [
        {
          type: 'tool_result',
          toolUseId: call,
          content: blocks,
          isError: content.contentType === 'system_error',
        },
      ];
    }
    const kind = kindOf(role, content.contentType, hidden, blocks);

    const meta: Obj = { canonical };
    if (content.contentType !== 'text') meta.contentType = content.contentType;
    if (recipient !== everyone) meta.recipient = recipient;
    if (hidden) meta.hidden = true;
    if (typeof message.weight === 'number' && message.weight !== 1) meta.weight = message.weight;
    if (content.assets.length > 0) meta.assets = content.assets;
    for (const [key, name] of messageMetaKeys) if (message[key] != null) meta[name] = message[key];
    for (const [key, name] of messageMetadataKeys) if (metadata[key] != null) meta[name] = metadata[key];

    const patch: SessionPatch = { source: chatgptSource, externalId: this.session };
    if (timestamp !== null) patch.timestamp = timestamp;
    if (model !== null) patch.model = model;
    const text = textOf(blocks);
    if (!this.titled && canonical && role === 'user' && kind === 'message' && titleFrom(text) !== undefined) {
      patch.fallbackTitle = titleFrom(text)!;
      this.titled = true;
    }
    const input = chatMessage({
      source: chatgptSource,
      sessionExternalId: this.session,
      externalId: placed.id,
      parentExternalId: placed.messageParent,
      role,
      kind,
      speaker: authorName === undefined ? null : { name: authorName, role: authorRole },
      blocks,
      model,
      timestamp,
      seq,
      meta,
    });
    return chatRecord(content.contentType, this.session, [patch], input);
  }

  /** A tool's answer follows the assistant message that called it; that message's id is the call id. */
  private callOf(parent: string | null): string {
    if (parent === null) return '';
    const node = this.mapping[parent];
    const message = isObj(node) ? node.message : undefined;
    const recipient = isObj(message) ? message.recipient : undefined;
    return typeof recipient === 'string' && recipient !== everyone ? parent : '';
  }
}

/** An assistant message addressed to a tool (`recipient`): its text is the call's input. */
function toolCall(id: string, recipient: string, contentType: string, blocks: Block[]): Block {
  const text = textOf(blocks);
  let input: unknown = contentType === 'code' ? { code: text } : { text };
  try {
    const parsed: unknown = JSON.parse(text);
    if (isObj(parsed)) input = parsed;
  } catch {
    // Not JSON: code or a command line (`search("...")`), kept as text.
  }
  return { type: 'tool_use', id, name: recipient, input };
}

function kindOf(role: Role, contentType: string, hidden: boolean, blocks: Block[]): MessageKind {
  if (role === 'tool') return 'tool_result';
  if (hidden || contextContentTypes.has(contentType)) return 'meta';
  if (role === 'system' && textOf(blocks).trim().length === 0) return 'meta';
  if (contentType === 'reasoning_recap') return 'event';
  return 'message';
}
