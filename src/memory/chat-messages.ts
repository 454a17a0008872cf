import type { HistoryMessage } from '../storage/ports.ts';
import type { Block } from '../domain/blocks.ts';
import type { ChatMessage } from './memory-contract.ts';
import { blocksContent, contentOf, cut } from './render.ts';

/**
 * A context window as OpenAI Chat Completions messages: tool calls become `tool_calls` and their
 * results `tool` messages answering them. A result whose call is not in the window (it was left
 * out, or never recorded) is written as user text instead, since the API refuses an unanswered
 * `tool` message; the window never cuts a call from its result (see context-window.ts).
 */

// The API accepts names of this shape only.
const nameOf = (message: HistoryMessage): string | undefined => {
  const name = message.speaker?.name.replaceAll(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return name === undefined || name.length === 0 ? undefined : name;
};

export function toChatMessages(window: readonly HistoryMessage[], perMessageChars: number): ChatMessage[] {
  const out: ChatMessage[] = [];
  const calls = new Set<string>();
  const clip = (text: string) => cut(text, perMessageChars).content;
  for (const message of window) {
    const name = nameOf(message);
    const named = name === undefined ? {} : { name };
    if (message.kind === 'note') {
      out.push({ role: 'system', content: clip(`Pinned note: ${message.text}`) });
      continue;
    }
    const rest: Block[] = [];
    const toolCalls: NonNullable<ChatMessage['tool_calls']> = [];
    for (const block of message.blocks) {
      if (block.type === 'tool_use' && message.role === 'assistant') {
        calls.add(block.id);
        const input = JSON.stringify(block.input) ?? '{}';
        toolCalls.push({
          id: block.id,
          type: 'function',
          function: { name: block.name, arguments: clip(input) },
        });
      } else if (block.type === 'tool_result' && calls.has(block.toolUseId)) {
        const text = typeof block.content === 'string' ? block.content : blocksContent(block.content);
        out.push({
          role: 'tool',
          tool_call_id: block.toolUseId,
          content: clip(block.isError ? `Error: ${text}` : text),
        });
      } else {
        rest.push(block);
      }
    }
    const text = rest.length === message.blocks.length ? contentOf(message) : blocksContent(rest);
    if (toolCalls.length > 0) {
      out.push({
        role: 'assistant',
        content: text.length > 0 ? clip(text) : null,
        tool_calls: toolCalls,
        ...named,
      });
    } else if (text.length > 0 && message.role === 'tool') {
      out.push({ role: 'user', content: clip(`Tool: ${text}`) });
    } else if (text.length > 0) {
      out.push({ role: message.role, content: clip(text), ...named });
    }
  }
  return out;
}
