import type { Block } from '../../domain/blocks.ts';
import type { ParsedImage } from '../source-format.ts';
import { isObj, type Obj } from '../shared/fields.ts';
import { toBlocks } from './blocks.ts';

/**
 * The readable part of an `attachment` record (context the harness injected: hook output, a queued
 * prompt, an edited file's snippet, ...). Payloads without text give no blocks: the raw record keeps them.
 */
export function attachmentBlocks(attachment: Obj, images: ParsedImage[]): Block[] {
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
  return '';
}

export function attachmentOf(o: Obj): Obj | null {
  return isObj(o.attachment) ? o.attachment : null;
}
