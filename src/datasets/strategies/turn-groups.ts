import type { ChatMessage, SourcedMessage } from '../example.ts';

/**
 * A turn: a user message and everything up to the next one (the assistant's messages, its tool
 * calls and their results). Messages before the first user message form a group of their own.
 */
export function turnGroups(messages: readonly SourcedMessage[]): SourcedMessage[][] {
  const groups: SourcedMessage[][] = [];
  for (const item of messages) {
    const current = groups.at(-1);
    if (current === undefined || item.message.role === 'user') groups.push([item]);
    else current.push(item);
  }
  return groups;
}

/**
 * An example ends at its last final answer (an assistant message without tool calls): what
 * follows it (tool work never concluded, a question never answered) is not trained on anyway,
 * and would leave the example ending on a non-assistant turn. Without any final answer, all is kept.
 */
export function endAtFinalAnswer(messages: readonly SourcedMessage[]): SourcedMessage[] {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!.message;
    if (m.role === 'assistant' && m.toolCalls.length === 0) return messages.slice(0, i + 1);
  }
  return [...messages];
}

export function withWeight(items: readonly SourcedMessage[], weight: 0 | 1): SourcedMessage[] {
  return items.map((item) =>
    item.message.role === 'assistant' ? { ...item, message: { ...item.message, weight } } : item,
  );
}

export function hasAssistant(items: readonly SourcedMessage[]): boolean {
  return items.some((i) => i.message.role === 'assistant');
}

export const plain = (items: readonly SourcedMessage[]): ChatMessage[] => items.map((i) => i.message);

export const sourceIdsOf = (items: readonly SourcedMessage[]): number[] => items.flatMap((i) => i.sourceIds);
