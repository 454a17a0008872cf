import type { Block } from '../domain/blocks.ts';
import type { HistoryMessage } from '../storage/ports.ts';
import { toChatMessages } from './chat-messages.ts';
import type { ContextFormat } from './memory-contract.ts';
import { cachedTokens } from './memory-records.ts';
import { contentOf, cut, labelOf, oneLine } from './render.ts';
import type { CountTokens } from './token-count.ts';

/**
 * Chooses the newest history that fits a token budget. Messages are taken in units that never
 * separate a tool call from its result: reading back from the newest message, a result opens a
 * unit that closes only at the message making the call; a unit is taken whole or not at all, and
 * the first that does not fit ends the window (older history is never taken over newer).
 */

/** Per message in the chat format: role and separators, as OpenAI counts them. */
const chatOverhead = 4;

export type WindowOptions = {
  maxTokens: number;
  maxMessages: number;
  perMessageChars: number;
  format: ContextFormat;
};

export type Measured = { message: HistoryMessage; content: string; tokens: number; truncated: boolean };

export type Window = { notes: Measured[]; history: Measured[]; tokens: number };

/** Counts a message as it will be written: its (possibly cut) content and its label or overhead. */
export function measurer(
  options: WindowOptions,
  count: CountTokens,
  labelTokens: (label: string) => number,
): (message: HistoryMessage) => Measured {
  const text = options.format === 'text';
  const separator = text ? 1 : chatOverhead;
  return (message) => {
    let content = contentOf(message);
    const truncated = content.length > options.perMessageChars;
    if (truncated) content = cut(content, options.perMessageChars).content;
    if (content.length === 0) return { message, content, tokens: 0, truncated };
    const own = (truncated ? null : cachedTokens(message)) ?? count(oneLine(content));
    // In chat messages, a note and a tool's output (when it is not an answer to a call) carry their label.
    const labelled = text || message.kind === 'note' || message.role === 'tool';
    const tokens = own + separator + (labelled ? labelTokens(labelOf(message)) : 0);
    return { message, content, tokens, truncated };
  };
}

/**
 * Tool calls whose results were read (newer) but not the calls themselves (older): results open
 * an id, calls close it. Null until a message carries a tool block (most never do).
 */
function trackTools(blocks: readonly Block[], open: Set<string> | null): Set<string> | null {
  if (blocks.length === 1 && blocks[0]!.type === 'text') return open;
  for (const block of blocks) if (block.type === 'tool_result') (open ??= new Set()).add(block.toolUseId);
  if (open !== null) for (const block of blocks) if (block.type === 'tool_use') open.delete(block.id);
  return open;
}

export async function chooseWindow(
  notes: readonly HistoryMessage[],
  pages: AsyncIterable<readonly HistoryMessage[]>,
  options: WindowOptions,
  measure: (message: HistoryMessage) => Measured,
): Promise<Window> {
  const pinned = notes.map(measure);
  let used = 0;
  for (const note of pinned) used += note.tokens;
  // Newest first: the first `taken` are chosen, the rest is the unit being read.
  const read: Measured[] = [];
  let taken = 0;
  let unitTokens = 0;
  let open: Set<string> | null = null;
  let exhausted = true;
  pages: for await (const page of pages) {
    for (const message of page) {
      const measured = measure(message);
      read.push(measured);
      unitTokens += measured.tokens;
      open = trackTools(message.blocks, open);
      if (used + unitTokens > options.maxTokens || read.length > options.maxMessages) {
        exhausted = false;
        break pages;
      }
      if (open !== null && open.size > 0) continue;
      taken = read.length;
      used += unitTokens;
      unitTokens = 0;
      if (used >= options.maxTokens || taken >= options.maxMessages) {
        exhausted = false;
        break pages;
      }
    }
  }
  // The history ended inside a unit (results whose calls were never recorded, or are archived):
  // it fits, or reading would have stopped.
  if (exhausted) {
    taken = read.length;
    used += unitTokens;
  }
  read.length = taken;
  return { notes: pinned, history: read.reverse(), tokens: used };
}

export function windowText(window: Window): string {
  const lines: string[] = [];
  for (const part of [window.notes, window.history])
    for (const m of part) if (m.content.length > 0) lines.push(labelOf(m.message) + oneLine(m.content));
  return lines.join('\n');
}

export function windowMessages(window: Window, perMessageChars: number) {
  const messages: HistoryMessage[] = [];
  for (const part of [window.notes, window.history]) for (const m of part) messages.push(m.message);
  return toChatMessages(messages, perMessageChars);
}
