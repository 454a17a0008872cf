import { createHash } from 'node:crypto';
import type { Block } from '../../domain/blocks.ts';
import type { ParsedImage } from '../source-format.ts';
import { FieldError, describe, isObj, optString, type Obj } from '../shared/fields.ts';

const dataUrl = /^data:([\w.+-]+\/[\w.+-]+);base64,/;

/** Converts a chat message `content` (a string, null, or an array of parts) to our blocks. */
export function toBlocks(content: unknown, path: string, images: ParsedImage[]): Block[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return content.length === 0 ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content))
    throw new FieldError(`${path}: expected a string, null or an array of parts, got ${describe(content)}`);
  return content.map((part: unknown, i) => toBlock(part, `${path}[${i}]`, images));
}

function toBlock(part: unknown, path: string, images: ParsedImage[]): Block {
  if (typeof part === 'string') return { type: 'text', text: part };
  if (!isObj(part)) throw new FieldError(`${path}: expected a content part object, got ${describe(part)}`);
  const type = optString(part, 'type', `${path}.type`);
  switch (type) {
    case 'text':
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: optString(part, 'text', `${path}.text`) ?? '' };
    case 'refusal':
      return { type: 'text', text: optString(part, 'refusal', `${path}.refusal`) ?? '' };
    case 'image_url':
      return toImage(part, path, images);
    default:
      return { type: 'other', kind: type ?? 'unknown', value: part };
  }
}

/** An image given inline (a data: URL) is stored by its bytes; one given by address stays a reference. */
function toImage(part: Obj, path: string, images: ParsedImage[]): Block {
  const image = part.image_url;
  const url = isObj(image)
    ? optString(image, 'url', `${path}.image_url.url`)
    : typeof image === 'string'
      ? image
      : undefined;
  const match = url === undefined ? null : dataUrl.exec(url);
  if (url === undefined || match === null) return { type: 'other', kind: 'image_url', value: part };
  const mediaType = match[1]!;
  const data = Buffer.from(url.slice(match[0].length), 'base64');
  const sha256 = createHash('sha256').update(data).digest('hex');
  images.push({ sha256, mediaType, data });
  return { type: 'image', mediaType, size: data.byteLength, sha256 };
}
