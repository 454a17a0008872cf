import type { HistoryMessage } from '../storage/ports.ts';
import { toChatMessages } from './chat-messages.ts';
import type { ContextFormat } from './memory-contract.ts';
import { cachedTokens } from './memory-records.ts';
import { contentOf, cut, labelOf, oneLine, toolIds } from './render.ts';
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
  return (message) => {
    const { content, truncated } = cut(contentOf(message), options.perMessageChars);
    if (content.length === 0) return { message, content, tokens: 0, truncated };
    const own = (truncated ? null : cachedTokens(message)) ?? count(oneLine(content));
    // In chat messages, a note and a tool's output (when it is not an answer to a call) carry their label.
    const labelled = options.format === 'text' || message.kind === 'note' || message.role === 'tool';
    const overhead =
      (labelled ? labelTokens(labelOf(message)) : 0) + (options.format === 'text' ? 1 : chatOverhead);
    return { message, content, tokens: own + overhead, truncated };
  };
}

export async function chooseWindow(
  notes: readonly HistoryMessage[],
  history: AsyncIterable<HistoryMessage>,
  options: WindowOptions,
  measure: (message: HistoryMessage) => Measured,
): Promise<Window> {
  const pinned = notes.map(measure);
  let used = pinned.reduce((sum, n) => sum + n.tokens, 0);
  const chosen: Measured[] = [];
  let unit: Measured[] = [];
  let unitTokens = 0;
  const open = new Set<string>();
  const fits = () =>
    used + unitTokens <= options.maxTokens && chosen.length + unit.length <= options.maxMessages;
  let exhausted = true;
  for await (const message of history) {
    const measured = measure(message);
    unit.push(measured);
    unitTokens += measured.tokens;
    const { calls, results } = toolIds(message.blocks);
    for (const id of results) open.add(id);
    for (const id of calls) open.delete(id);
    if (!fits() || open.size > 0) {
      if (fits()) continue;
      exhausted = false;
      break;
    }
    chosen.push(...unit);
    used += unitTokens;
    unit = [];
    unitTokens = 0;
    if (used >= options.maxTokens || chosen.length >= options.maxMessages) {
      exhausted = false;
      break;
    }
  }
  // The history ended inside a unit: results whose calls were never recorded (or are archived).
  if (exhausted && unit.length > 0 && fits()) {
    chosen.push(...unit);
    used += unitTokens;
  }
  return { notes: pinned, history: chosen.reverse(), tokens: used };
}

export function windowText(window: Window): string {
  return [...window.notes, ...window.history]
    .filter((m) => m.content.length > 0)
    .map((m) => `${labelOf(m.message)}${oneLine(m.content)}`)
    .join('\n');
}

export function windowMessages(window: Window, perMessageChars: number) {
  return toChatMessages(
    [...window.notes, ...window.history].map((m) => m.message),
    perMessageChars,
  );
}
