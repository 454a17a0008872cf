import type { Block } from '../../domain/blocks.ts';
import type { ParsedImage } from '../source-format.ts';
import { FieldError, isObj, type Obj } from '../shared/fields.ts';
import type { Content, Conversation } from './conversation.ts';
import { toBlocks } from './blocks.ts';

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

/** Context the harness injected (hook output, a queued prompt, a file): the model saw it, nobody typed it. */
export function attachmentContent({ o, meta, images }: Conversation): Content {
  const attachment = o.attachment;
  if (!isObj(attachment)) throw new FieldError('attachment: expected an object');
  if (typeof attachment.type === 'string') meta.subtype = attachment.type;
  return {
    role: 'user',
    kind: 'meta',
    blocks: attachmentBlocks(attachment, images),
    model: null,
    responseId: null,
  };
}
