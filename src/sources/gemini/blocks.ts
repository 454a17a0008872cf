import { createHash } from 'node:crypto';
import type { Block, ToolResultBlock } from '../../domain/blocks.ts';
import type { ParsedImage } from '../source-format.ts';
import { FieldError, describe, isObj, optString, type Obj } from '../shared/fields.ts';
import { failedToolStatuses, finishedToolStatuses } from './schema.ts';

/**
 * Converts Gemini API content (a PartListUnion: a string, one Part or an array of them) to our
 * blocks. Inline image bytes go to `images`, addressed by sha256.
 */
export function partsToBlocks(content: unknown, path: string, images: ParsedImage[]): Block[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return content.length === 0 ? [] : [{ type: 'text', text: content }];
  const parts: unknown[] = Array.isArray(content) ? content : [content];
  const blocks: Block[] = [];
  for (let i = 0; i < parts.length; i++) {
    const block = partToBlock(parts[i], `${path}[${i}]`, images);
    if (block !== null) blocks.push(block);
  }
  return blocks;
}

function partToBlock(part: unknown, path: string, images: ParsedImage[]): Block | null {
  if (typeof part === 'string') return part.length === 0 ? null : { type: 'text', text: part };
  if (!isObj(part)) throw new FieldError(`${path}: expected a Part object, got ${describe(part)}`);
  if (typeof part.text === 'string') {
    if (part.thought === true) return { type: 'thinking', thinking: part.text };
    return part.text.length === 0 ? null : { type: 'text', text: part.text };
  }
  if (isObj(part.functionCall)) {
    const call = part.functionCall;
    return {
      type: 'tool_use',
      id: optString(call, 'id', `${path}.functionCall.id`) ?? '',
      name: optString(call, 'name', `${path}.functionCall.name`) ?? '',
      input: call.args ?? {},
    };
  }
  if (isObj(part.functionResponse)) return responseToBlock(part.functionResponse, `${path}.functionResponse`);
  if (isObj(part.inlineData)) return inlineToBlock(part, part.inlineData, images);
  const kind = Object.keys(part).find((k) => k !== 'thought' && k !== 'thoughtSignature') ?? 'unknown';
  return { type: 'other', kind, value: part };
}

/** A functionResponse: `response.output` holds what the tool returned, `response.error` why it failed. */
function responseToBlock(response: Obj, path: string): ToolResultBlock {
  const body = response.response;
  const toolUseId = optString(response, 'id', `${path}.id`) ?? '';
  if (!isObj(body)) return { type: 'tool_result', toolUseId, content: stringify(body), isError: false };
  if (body.error !== undefined)
    return { type: 'tool_result', toolUseId, content: stringify(body.error), isError: true };
  const content = body.output !== undefined && Object.keys(body).length === 1 ? body.output : body;
  return { type: 'tool_result', toolUseId, content: stringify(content), isError: false };
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function inlineToBlock(part: Obj, inline: Obj, images: ParsedImage[]): Block {
  const mediaType = typeof inline.mimeType === 'string' ? inline.mimeType : 'application/octet-stream';
  if (typeof inline.data !== 'string' || !mediaType.startsWith('image/'))
    return { type: 'other', kind: 'inlineData', value: part };
  const data = Buffer.from(inline.data, 'base64');
  const sha256 = createHash('sha256').update(data).digest('hex');
  images.push({ sha256, mediaType, data });
  return { type: 'image', mediaType, size: data.byteLength, sha256 };
}

/**
 * A ToolCallRecord holds the call and, once it ran, its result: one tool_use block, and a
 * tool_result block when a result is there. Results come after all the calls of the message, so
 * an exporter can move them to a tool message of their own.
 */
export function toolCallBlocks(
  calls: unknown,
  images: ParsedImage[],
): { uses: Block[]; results: Block[]; statuses: Record<string, string> } {
  const uses: Block[] = [];
  const results: Block[] = [];
  const statuses: Record<string, string> = {};
  if (calls === undefined || calls === null) return { uses, results, statuses };
  if (!Array.isArray(calls)) throw new FieldError(`toolCalls: expected an array, got ${describe(calls)}`);
  for (let i = 0; i < calls.length; i++) {
    const call: unknown = calls[i];
    const path = `toolCalls[${i}]`;
    if (!isObj(call)) throw new FieldError(`${path}: expected an object, got ${describe(call)}`);
    const id = optString(call, 'id', `${path}.id`) ?? '';
    uses.push({
      type: 'tool_use',
      id,
      name: optString(call, 'name', `${path}.name`) ?? '',
      input: call.args ?? {},
    });
    const status = optString(call, 'status', `${path}.status`);
    if (status !== undefined && status !== 'success') statuses[id] = status;
    const failed = status !== undefined && failedToolStatuses.has(status);
    const result = resultOf(call.result, `${path}.result`, images) ?? withoutParts(call, status, failed);
    if (result === null) continue;
    results.push({ ...result, toolUseId: id, isError: result.isError || failed });
  }
  return { uses, results, statuses };
}

/**
 * A finished call recorded without result parts: what the CLI displayed stands in (a string; a
 * diff object is for the screen), and a failed or cancelled call still gets its failed result.
 * A call still running (scheduled, executing, awaiting approval) has no result yet.
 */
function withoutParts(call: Obj, status: string | undefined, failed: boolean): ToolResultBlock | null {
  const display = call.resultDisplay;
  const finished = failed || (status !== undefined && finishedToolStatuses.has(status));
  if (!finished) return null;
  if (typeof display === 'string' && display.length > 0)
    return { type: 'tool_result', toolUseId: '', content: display, isError: false };
  return failed ? { type: 'tool_result', toolUseId: '', content: '', isError: true } : null;
}

/** A call's result parts as one tool_result: a lone response stays a string, anything else blocks. */
function resultOf(result: unknown, path: string, images: ParsedImage[]): ToolResultBlock | null {
  if (result === undefined || result === null) return null;
  const blocks = partsToBlocks(result, path, images);
  if (blocks.length === 0) return null;
  const only = blocks.length === 1 ? blocks[0] : undefined;
  if (only?.type === 'tool_result') return only;
  const isError = blocks.some((b) => b.type === 'tool_result' && b.isError);
  const content = blocks.flatMap((b): Block[] =>
    b.type !== 'tool_result'
      ? [b]
      : typeof b.content === 'string'
        ? [{ type: 'text', text: b.content }]
        : b.content,
  );
  return { type: 'tool_result', toolUseId: '', content, isError };
}
