import { createHash } from 'node:crypto';
import type { Block } from '../../domain/blocks.ts';
import type { ParsedImage } from '../source-format.ts';
import { FieldError, describe, isObj, optString } from '../shared/fields.ts';

/** Converts Anthropic content blocks to ours. Image bytes go to `images`, addressed by sha256. */
export function toBlocks(content: unknown, path: string, images: ParsedImage[]): Block[] {
  if (typeof content === 'string') return content.length === 0 ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content))
    throw new FieldError(`${path}: expected a string or an array, got ${describe(content)}`);
  const blocks: Block[] = [];
  for (let i = 0; i < content.length; i++) blocks.push(toBlock(content[i], `${path}[${i}]`, images));
  return blocks;
}

function toBlock(raw: unknown, path: string, images: ParsedImage[]): Block {
  if (typeof raw === 'string') return { type: 'text', text: raw };
  if (!isObj(raw)) throw new FieldError(`${path}: expected a content block object, got ${describe(raw)}`);
  const type = optString(raw, 'type', `${path}.type`);
  switch (type) {
    case 'text':
      return { type: 'text', text: optString(raw, 'text', `${path}.text`) ?? '' };
    case 'thinking':
      return { type: 'thinking', thinking: optString(raw, 'thinking', `${path}.thinking`) ?? '' };
    case 'redacted_thinking':
      return { type: 'thinking', thinking: '', redacted: true };
    case 'tool_use':
      return {
        type: 'tool_use',
        id: optString(raw, 'id', `${path}.id`) ?? '',
        name: optString(raw, 'name', `${path}.name`) ?? '',
        input: raw.input ?? null,
      };
    case 'tool_result': {
      const inner = raw.content;
      return {
        type: 'tool_result',
        toolUseId: optString(raw, 'tool_use_id', `${path}.tool_use_id`) ?? '',
        content:
          inner === undefined || inner === null
            ? ''
            : typeof inner === 'string'
              ? inner
              : toBlocks(inner, `${path}.content`, images),
        isError: raw.is_error === true,
      };
    }
    case 'image':
      return toImage(raw, path, images);
    case 'document':
      return toDocument(raw, path, images);
    default:
      return { type: 'other', kind: type ?? 'unknown', value: raw };
  }
}

/** Decoded bytes go to the blob table, addressed by sha256 (shared by images and documents). */
function putBlob(data: string, mediaType: string, images: ParsedImage[]): { sha256: string; size: number } {
  const bytes = Buffer.from(data, 'base64');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  images.push({ sha256, mediaType, data: bytes });
  return { sha256, size: bytes.byteLength };
}

/**
 * A document (a PDF, 2.1.97+) has no block of its own: it stays an `other` block, but its base64
 * bytes (megabytes, of no use to search or redaction) move to the blob table like an image's.
 */
function toDocument(raw: Record<string, unknown>, path: string, images: ParsedImage[]): Block {
  const source = raw.source;
  if (!isObj(source) || source.type !== 'base64' || typeof source.data !== 'string') {
    return { type: 'other', kind: 'document', value: raw };
  }
  const mediaType =
    optString(source, 'media_type', `${path}.source.media_type`) ?? 'application/octet-stream';
  const { data: _data, ...described } = source;
  const blob = putBlob(source.data, mediaType, images);
  return { type: 'other', kind: 'document', value: { ...raw, source: { ...described, ...blob } } };
}

function toImage(raw: Record<string, unknown>, path: string, images: ParsedImage[]): Block {
  const source = raw.source;
  if (!isObj(source) || source.type !== 'base64' || typeof source.data !== 'string') {
    return { type: 'other', kind: 'image', value: raw };
  }
  const mediaType =
    optString(source, 'media_type', `${path}.source.media_type`) ?? 'application/octet-stream';
  const { sha256, size } = putBlob(source.data, mediaType, images);
  return { type: 'image', mediaType, size, sha256 };
}
