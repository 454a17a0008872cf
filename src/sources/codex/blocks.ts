import { createHash } from 'node:crypto';
import type { Block } from '../../domain/blocks.ts';
import type { ParsedImage } from '../source-format.ts';
import { FieldError, describe, isObj, optString, type Obj } from '../shared/fields.ts';

/** Converts Responses API content parts (`input_text`, `output_text`, `input_image`, …) to our blocks. */
export function contentBlocks(content: unknown, path: string, images: ParsedImage[]): Block[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return content.length === 0 ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content))
    throw new FieldError(`${path}: expected an array of content parts, got ${describe(content)}`);
  const blocks: Block[] = [];
  for (let i = 0; i < content.length; i++) blocks.push(...contentBlock(content[i], `${path}[${i}]`, images));
  return blocks;
}

function contentBlock(part: unknown, path: string, images: ParsedImage[]): Block[] {
  if (typeof part === 'string') return [{ type: 'text', text: part }];
  if (!isObj(part)) throw new FieldError(`${path}: expected a content part object, got ${describe(part)}`);
  const type = optString(part, 'type', `${path}.type`);
  switch (type) {
    case 'input_text':
    case 'output_text':
    case 'text': {
      const text: Block = { type: 'text', text: optString(part, 'text', `${path}.text`) ?? '' };
      // Citations of web results ride on the text part: kept beside it.
      const notes = part.annotations;
      if (!Array.isArray(notes) || notes.length === 0) return [text];
      return [text, { type: 'other', kind: 'annotations', value: notes }];
    }
    case 'input_image':
      return [imageBlock(part, path, images)];
    default:
      return [{ type: 'other', kind: type ?? 'unknown', value: part }];
  }
}

const dataUrl = /^data:([^;,]+);base64,(.*)$/s;

/** An inline (data URL) image goes to the blob store; a linked one is kept as it is. */
function imageBlock(part: Obj, path: string, images: ParsedImage[]): Block {
  const url = optString(part, 'image_url', `${path}.image_url`);
  const match = url === undefined ? null : dataUrl.exec(url);
  if (match === null) return { type: 'other', kind: 'input_image', value: part };
  const data = Buffer.from(match[2]!, 'base64');
  const sha256 = createHash('sha256').update(data).digest('hex');
  images.push({ sha256, mediaType: match[1]!, data });
  return { type: 'image', mediaType: match[1]!, size: data.byteLength, sha256 };
}

/** `function_call.arguments` is a JSON string: parsed for the tool input, kept as text when it is not JSON. */
export function toolInput(args: unknown): unknown {
  if (typeof args !== 'string') return args ?? null;
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}

/** What a tool returned: its content, whether it failed, and the exit code and duration when Codex recorded them. */
export type ToolOutput = {
  content: string | Block[];
  isError: boolean;
  exitCode?: number;
  durationSeconds?: number;
};

/**
 * A tool output: a string, content parts (newer rollouts) or `{content, success}`. Shell tools of
 * older rollouts and `apply_patch` to this day write a JSON string `{output, metadata: {exit_code,
 * duration_seconds}}`: it is unwrapped, and a non-zero exit code marks the result as an error.
 */
export function toolOutput(output: unknown, path: string, images: ParsedImage[]): ToolOutput {
  if (output === undefined || output === null) return { content: '', isError: false };
  if (typeof output === 'string') return wrappedOutput(output) ?? { content: output, isError: false };
  if (Array.isArray(output)) return { content: contentBlocks(output, path, images), isError: false };
  if (!isObj(output)) return { content: JSON.stringify(output), isError: false };
  const isError = output.success === false;
  if (typeof output.content === 'string') return { content: output.content, isError };
  if (Array.isArray(output.content_items))
    return { content: contentBlocks(output.content_items, `${path}.content_items`, images), isError };
  return { content: JSON.stringify(output), isError };
}

function wrappedOutput(text: string): ToolOutput | null {
  if (!text.startsWith('{"output"')) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObj(value) || typeof value.output !== 'string' || !isObj(value.metadata)) return null;
  const { exit_code: exitCode, duration_seconds: duration } = value.metadata;
  const out: ToolOutput = { content: value.output, isError: false };
  if (typeof exitCode === 'number') {
    out.exitCode = exitCode;
    out.isError = exitCode !== 0;
  }
  if (typeof duration === 'number') out.durationSeconds = duration;
  return out;
}
