import type { Block } from '../../domain/blocks.ts';
import { FieldError, describe, isObj, optNumber, optString, type Obj } from '../shared/fields.ts';

/** What a message's `content` becomes; `assets` describe images whose bytes are not in the file. */
export type ChatgptContent = { contentType: string; blocks: Block[]; assets: Obj[] };

/** Converts a ChatGPT message `content` (one of many `content_type`s) to our blocks. */
export function toContent(content: Obj, path: string): ChatgptContent {
  const contentType = optString(content, 'content_type', `${path}.content_type`) ?? 'text';
  const assets: Obj[] = [];
  const text = (key: string) => textBlocks(optString(content, key, `${path}.${key}`));
  let blocks: Block[];
  switch (contentType) {
    case 'text':
    case 'multimodal_text':
      blocks = partBlocks(content.parts, `${path}.parts`, assets);
      break;
    case 'code':
    case 'execution_output':
    case 'sonic_webpage':
    case 'tether_quote':
      blocks = text('text');
      break;
    case 'thoughts':
      blocks = thoughtBlocks(content.thoughts, `${path}.thoughts`);
      break;
    case 'reasoning_recap':
      blocks = text('content');
      break;
    case 'system_error':
      blocks = textBlocks(
        [optString(content, 'name', `${path}.name`), optString(content, 'text', `${path}.text`)]
          .filter((s) => s !== undefined && s.length > 0)
          .join(': '),
      );
      break;
    case 'tether_browsing_display':
      blocks = [...text('result'), ...text('summary')];
      break;
    case 'user_editable_context':
      blocks = [...text('user_profile'), ...text('user_instructions')];
      break;
    case 'model_editable_context':
      blocks = text('model_set_context');
      break;
    default:
      blocks = unknownBlocks(content, contentType, path, assets);
  }
  return { contentType, blocks, assets };
}

function textBlocks(text: string | undefined): Block[] {
  return text === undefined || text.length === 0 ? [] : [{ type: 'text', text }];
}

/** A content type we do not know: its text if it has some, and the whole of it kept as a block. */
function unknownBlocks(content: Obj, contentType: string, path: string, assets: Obj[]): Block[] {
  const blocks: Block[] = Array.isArray(content.parts)
    ? partBlocks(content.parts, `${path}.parts`, assets)
    : [];
  if (typeof content.text === 'string') blocks.push(...textBlocks(content.text));
  blocks.push({ type: 'other', kind: contentType, value: content });
  return blocks;
}

function partBlocks(parts: unknown, path: string, assets: Obj[]): Block[] {
  if (parts === undefined || parts === null) return [];
  if (!Array.isArray(parts)) throw new FieldError(`${path}: expected an array, got ${describe(parts)}`);
  const blocks: Block[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part: unknown = parts[i];
    if (typeof part === 'string') blocks.push(...textBlocks(part));
    else if (isObj(part)) blocks.push(objectPart(part, `${path}[${i}]`, assets));
    else if (part !== null)
      throw new FieldError(`${path}[${i}]: expected a string or an object, got ${describe(part)}`);
  }
  return blocks;
}

/**
 * An object among a message's parts. Images are pointers to files of the export (`file-service://`,
 * `sediment://`); the block says an image was there, its pointer goes to the message's `assets`.
 */
function objectPart(part: Obj, path: string, assets: Obj[]): Block {
  const type = optString(part, 'content_type', `${path}.content_type`) ?? 'unknown';
  if (type === 'image_asset_pointer') {
    const size = optNumber(part, 'size_bytes', `${path}.size_bytes`) ?? 0;
    assets.push(pick(part, ['asset_pointer', 'size_bytes', 'width', 'height', 'metadata']));
    return { type: 'image', mediaType: 'application/octet-stream', size, sha256: null };
  }
  if (type === 'audio_transcription') {
    const text = optString(part, 'text', `${path}.text`);
    if (text !== undefined) return { type: 'text', text };
  }
  return { type: 'other', kind: type, value: part };
}

function thoughtBlocks(thoughts: unknown, path: string): Block[] {
  if (thoughts === undefined || thoughts === null) return [];
  if (!Array.isArray(thoughts)) throw new FieldError(`${path}: expected an array, got ${describe(thoughts)}`);
  return thoughts.map((t: unknown, i): Block => {
    if (!isObj(t)) throw new FieldError(`${path}[${i}]: expected an object, got ${describe(t)}`);
    const summary = optString(t, 'summary', `${path}[${i}].summary`);
    const content = optString(t, 'content', `${path}[${i}].content`);
    const thinking = [summary, content].filter((s) => s !== undefined && s.length > 0).join('\n\n');
    return { type: 'thinking', thinking };
  });
}

function pick(o: Obj, keys: readonly string[]): Obj {
  const out: Obj = {};
  for (const key of keys) if (o[key] !== undefined) out[key] = o[key];
  return out;
}
