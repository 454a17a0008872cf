import type { Block } from '../domain/blocks.ts';
import type { Message } from '../domain/message.ts';

/**
 * How a message reads in a context window. The content is what the message says on one line:
 * its text, its tool calls and results; thinking is left out (a model's private reasoning is not
 * history to send again). Its token count is cached with the message at write (see
 * memory-records.ts), so this rendering must stay stable: change it and bump `renderVersion`.
 */
export const renderVersion = 1;

const roleNames: Record<Message['role'], string> = {
  user: 'User',
  assistant: 'Assistant',
  system: 'System',
  tool: 'Tool',
};

export const noteLabel = 'Pinned note: ';

/** "User: " and the like, made once: most messages have no agent name. */
const roleLabels: Record<Message['role'], string> = {
  user: 'User: ',
  assistant: 'Assistant: ',
  system: 'System: ',
  tool: 'Tool: ',
};

/** "User (sizing agent): ", the start of a message's line in the text format. */
export function labelOf(message: Pick<Message, 'role' | 'kind' | 'speaker'>): string {
  if (message.kind === 'note') return noteLabel;
  const agent = message.speaker?.name;
  return agent === undefined ? roleLabels[message.role] : `${roleNames[message.role]} (${agent}): `;
}

function resultText(content: string | Block[]): string {
  return typeof content === 'string' ? content : blocksContent(content);
}

function blockText(block: Block): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'thinking':
      return '';
    case 'tool_use':
      return `[tool call ${block.name} ${JSON.stringify(block.input) ?? ''}]`;
    case 'tool_result':
      return `[tool result${block.isError ? ' (error)' : ''}: ${resultText(block.content)}]`;
    case 'image':
      return `[image ${block.mediaType}]`;
    case 'other':
      return `[${block.kind}]`;
    default:
      block satisfies never;
      return '';
  }
}

/** Whether the blocks are plain text, so the stored text says it all. */
function textOnly(blocks: readonly Block[]): boolean {
  for (const block of blocks) if (block.type !== 'text') return false;
  return true;
}

/** What blocks say, each block's part separated by a space. */
export function blocksContent(blocks: readonly Block[]): string {
  return blocks
    .map(blockText)
    .filter((s) => s.length > 0)
    .join(' ');
}

/** The message's content with its line breaks (the chat messages format keeps them). */
export function contentOf(message: Pick<Message, 'text' | 'blocks'>): string {
  return textOnly(message.blocks) ? message.text : blocksContent(message.blocks);
}

const lineBreak = /\r?\n/g;

/** One line: line breaks are written as `\n`, so every message starts a line with its speaker. */
export function oneLine(content: string): string {
  return content.includes('\n') ? content.replaceAll(lineBreak, '\\n') : content;
}

/** The first `chars` characters (never half a surrogate pair) and a note saying how much was cut. */
export function cut(content: string, chars: number): { content: string; truncated: boolean } {
  if (content.length <= chars) return { content, truncated: false };
  let end = chars;
  const code = content.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  const rest = content.length - end;
  return { content: `${content.slice(0, end)} … [truncated: ${rest} more characters]`, truncated: true };
}
