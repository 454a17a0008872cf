import type { Block } from '../../domain/blocks.ts';
import type { MessageKind } from '../../domain/message.ts';
import { isObj, optString, type Obj } from '../shared/fields.ts';
import type { Content, Conversation } from './conversation.ts';
import { envelopeKeys } from './schema.ts';

function systemKind(subtype: string | undefined): MessageKind {
  switch (subtype) {
    // Only a full compaction starts a new context window; a microcompact trims old tool results in place.
    case 'compact_boundary':
      return 'compact_boundary';
    case 'api_error':
      return 'api_error';
    case 'local_command':
      return 'command';
    default:
      return 'event';
  }
}

/** A system record's text: its `content`, or for an API error without one, what the error says. */
function systemBlocks(o: Obj, subtype: string | undefined): Block[] {
  const content = o.content;
  if (typeof content === 'string' && content.length > 0) return [{ type: 'text', text: content }];
  if (subtype === 'api_error') return [{ type: 'text', text: apiErrorText(o) }];
  return [];
}

function apiErrorText(o: Obj): string {
  let text = 'API error';
  const error = o.error;
  if (isObj(error)) {
    if (typeof error.status === 'number') text += ` ${error.status}`;
    const detail = isObj(error.error) ? error.error : error;
    if (typeof detail.message === 'string') text += `: ${detail.message}`;
  } else if (typeof error === 'string') {
    text += `: ${error}`;
  }
  if (typeof o.retryAttempt === 'number' && typeof o.maxRetries === 'number')
    text += ` (retry ${o.retryAttempt} of ${o.maxRetries})`;
  return text;
}

export function systemContent({ o, meta }: Conversation): Content {
  const subtype = optString(o, 'subtype');
  for (const [key, value] of Object.entries(o)) if (!envelopeKeys.has(key)) meta[key] = value;
  if (subtype !== undefined) meta.subtype = subtype;
  return {
    role: 'system',
    kind: systemKind(subtype),
    blocks: systemBlocks(o, subtype),
    model: null,
    responseId: null,
  };
}
