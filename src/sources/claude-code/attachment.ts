import type { Block } from '../../domain/blocks.ts';
import { textOf as blocksText } from '../../domain/blocks.ts';
import type { MessageKind } from '../../domain/message.ts';
import type { ParsedImage } from '../source-format.ts';
import { FieldError, isObj, type Obj } from '../shared/fields.ts';
import type { Content, Conversation } from './conversation.ts';
import { toBlocks } from './blocks.ts';
import { isCommandText } from './prompt-text.ts';

/**
 * The readable part of an `attachment` record (context the harness injected: hook output, a queued
 * prompt, an edited file's snippet, ...). Payloads without text give no blocks: the raw record keeps them.
 */
function attachmentBlocks(attachment: Obj, images: ParsedImage[]): Block[] {
  const prompt = attachment.prompt;
  if (typeof prompt === 'string' || Array.isArray(prompt))
    return toBlocks(prompt, 'attachment.prompt', images);
  const blocks: Block[] = [];
  for (const key of ['content', 'snippet', 'message'] as const) {
    const text = textOf(attachment[key]);
    if (text.length > 0) blocks.push({ type: 'text', text });
  }
  return blocks;
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('\n');
  // A `file` attachment holds what the Read tool would have returned: {type: 'text', file: {content}}.
  if (isObj(value) && isObj(value.file) && typeof value.file.content === 'string') return value.file.content;
  return '';
}

/**
 * A prompt the person typed while the agent worked. Claude Code folds it into the running turn as
 * a `queued_command` attachment and writes no `user` line for it. Other queued commands are the
 * harness's (`commandMode` `task-notification`), another session's (`origin.kind` `peer`), or meta.
 */
function isTypedPrompt(attachment: Obj): boolean {
  if (attachment.type !== 'queued_command' || attachment.isMeta === true) return false;
  if ((attachment.commandMode ?? 'prompt') !== 'prompt') return false;
  const origin = attachment.origin;
  return !isObj(origin) || (origin.kind ?? 'human') === 'human';
}

/**
 * Context the harness injected (hook output, a file, a notification): the model saw it, nobody
 * typed it, so it is `meta`; except a prompt typed while the agent worked, which is the user's.
 */
export function attachmentContent({ o, meta, images }: Conversation): Content {
  const attachment = o.attachment;
  if (!isObj(attachment)) throw new FieldError('attachment: expected an object');
  if (typeof attachment.type === 'string') meta.subtype = attachment.type;
  const blocks = attachmentBlocks(attachment, images);
  let kind: MessageKind = 'meta';
  if (isTypedPrompt(attachment)) kind = isCommandText(blocksText(blocks)) ? 'command' : 'message';
  return { role: 'user', kind, blocks, model: null, responseId: null };
}
