import type { Block } from '../../domain/blocks.ts';
import { textOf } from '../../domain/blocks.ts';
import type { MessageKind, Role } from '../../domain/message.ts';
import type { SessionPatch } from '../../domain/session.ts';
import type { ParsedRecord } from '../source-format.ts';
import { chatMessage, chatRecord, problemRecord, titleFrom } from '../shared/chat-record.ts';
import { FieldError, describe, isObj, optObj, optString, reqString, type Obj } from '../shared/fields.ts';
import { toContent, type ChatgptContent } from './content.ts';
import {
  authorRoles,
  chatgptSource,
  contextContentTypes,
  everyone,
  messageMetadataKeys,
  messageMetaKeys,
} from './schema.ts';
import type { PlacedNode } from './tree.ts';

/** ChatGPT writes epoch seconds with a fraction; a string is taken as ISO-8601 (other tools' copies). */
export function epochMs(o: Obj, key: string, path = key): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v * 1000);
  const ms = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(ms)) throw new FieldError(`${path}: expected epoch seconds, got ${JSON.stringify(v)}`);
  return ms;
}

/**
 * Turns the nodes of one conversation into records: a node with a message becomes that message
 * (its node id the natural key, `meta.canonical` whether it is on the thread the user last saw);
 * a node without one (the root) is kept raw only. Remembers whether a title was found.
 */
export class NodeReader {
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
    const message = node.message;
    if (message === null || message === undefined) return chatRecord('node', this.session, [], null);
    try {
      if (!isObj(message)) throw new FieldError(`message: expected an object, got ${describe(message)}`);
      return this.readMessage(placed, message, seq);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      return problemRecord('message', this.session, `${where}: ${error.message}`);
    }
  }

  private readMessage(placed: PlacedNode, message: Obj, seq: number): ParsedRecord {
    const author = authorOf(message);
    const role = author.role;
    const content = toContent(optObj(message, 'content', 'message.content') ?? {}, 'message.content');
    const metadata = optObj(message, 'metadata', 'message.metadata') ?? {};
    const recipient = optString(message, 'recipient', 'message.recipient') ?? everyone;
    const timestamp = epochMs(message, 'create_time', 'message.create_time') ?? null;
    const model = optString(metadata, 'model_slug', 'message.metadata.model_slug') ?? null;
    const hidden = metadata.is_visually_hidden_from_conversation === true;
    const canonical = this.canonical.has(placed.id);

    let blocks = content.blocks;
    if (role === 'assistant' && recipient !== everyone)
      blocks = [toolCall(placed.id, recipient, content.contentType, blocks)];
    if (role === 'tool') {
      const isError = content.contentType === 'system_error';
      blocks = [
        { type: 'tool_result', toolUseId: this.callOf(placed.messageParent), content: blocks, isError },
      ];
    }
    const kind = kindOf(role, content.contentType, hidden, blocks);

    const patch: SessionPatch = { source: chatgptSource, externalId: this.session };
    if (timestamp !== null) patch.timestamp = timestamp;
    if (model !== null) patch.model = model;
    const title = titleFrom(textOf(blocks));
    if (!this.titled && canonical && role === 'user' && kind === 'message' && title !== undefined) {
      patch.fallbackTitle = title;
      this.titled = true;
    }
    const input = chatMessage({
      source: chatgptSource,
      sessionExternalId: this.session,
      externalId: placed.id,
      parentExternalId: placed.messageParent,
      role,
      kind,
      speaker: author.name === undefined ? null : { name: author.name, role },
      blocks,
      model,
      timestamp,
      seq,
      meta: { canonical, ...messageMeta(message, metadata, content, recipient, hidden) },
    });
    return chatRecord(content.contentType, this.session, [patch], input);
  }

  /**
   * A tool's answer follows the assistant message that called it; that message's id is the call id.
   * A tool may answer in several messages, each the child of the one before (DALL·E's image, then
   * its note to the model): those answer the same call, found above the tool messages.
   */
  private callOf(parent: string | null): string {
    const seen = new Set<string>();
    for (let id = parent; id !== null && !seen.has(id);) {
      seen.add(id);
      const node = this.mapping[id];
      const message = isObj(node) ? node.message : undefined;
      if (!isObj(node) || !isObj(message)) return '';
      const author = isObj(message.author) ? message.author.role : undefined;
      if (author === 'tool') {
        id = typeof node.parent === 'string' ? node.parent : null;
        continue;
      }
      const recipient = message.recipient;
      return typeof recipient === 'string' && recipient !== everyone ? id : '';
    }
    return '';
  }
}

function authorOf(message: Obj): { role: Role; name: string | undefined } {
  const author = optObj(message, 'author', 'message.author');
  if (author === undefined) throw new FieldError('message.author: missing');
  const role = reqString(author, 'role', 'message.author.role');
  if (!authorRoles.has(role))
    throw new FieldError(`message.author.role: unknown role ${JSON.stringify(role)}`);
  return { role: role as Role, name: optString(author, 'name', 'message.author.name') };
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

/** What a message says about itself beyond its blocks; the rest stays in the raw record. */
function messageMeta(
  message: Obj,
  metadata: Obj,
  content: ChatgptContent,
  recipient: string,
  hidden: boolean,
): Obj {
  const meta: Obj = {};
  if (content.contentType !== 'text') meta.contentType = content.contentType;
  if (recipient !== everyone) meta.recipient = recipient;
  if (hidden) meta.hidden = true;
  if (typeof message.weight === 'number' && message.weight !== 1) meta.weight = message.weight;
  if (content.assets.length > 0) meta.assets = content.assets;
  for (const [key, name] of messageMetaKeys) if (message[key] != null) meta[name] = message[key];
  for (const [key, name] of messageMetadataKeys) if (metadata[key] != null) meta[name] = metadata[key];
  return meta;
}
