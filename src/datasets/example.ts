import type { DatasetStrategy } from '../domain/training-file.ts';

/**
 * The training example as every part of src/datasets sees it, before it is written in a target
 * format (formats/<target>.ts): chat messages in the OpenAI shape, tool calls with their
 * arguments as JSON objects, and a training weight on each assistant message.
 */

export type ToolCall = { id: string; name: string; arguments: Record<string, unknown> };

export type SystemMessage = { role: 'system'; content: string };
export type UserMessage = { role: 'user'; content: string };
export type AssistantMessage = {
  role: 'assistant';
  content: string;
  toolCalls: ToolCall[];
  /** 1: trained; 0: context only (an earlier turn of a window, already trained elsewhere). */
  weight: 0 | 1;
};
export type ToolMessage = {
  role: 'tool';
  toolCallId: string;
  name: string;
  content: string;
  isError: boolean;
};

export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/** A chat message with the stored messages it was made from (provenance; never written into it). */
export type SourcedMessage = { message: ChatMessage; sourceIds: number[] };

export type Example = {
  /** Stable: the same session, strategy and position give the same id. */
  id: string;
  sessionId: string;
  strategy: Exclude<DatasetStrategy, 'auto'>;
  /** Position among the session's examples. */
  index: number;
  /** The stored messages the example was made from, in order. */
  messageIds: number[];
  messages: ChatMessage[];
};

/** Bad input found while turning sessions into examples, by rule (see docs/DATASETS.md). */
export type BadInputCounts = {
  /** Tool calls never answered: removed from their assistant message. */
  orphanToolCalls: number;
  /** Tool results without a call before them, or a second answer to one call: removed. */
  orphanToolResults: number;
  /** Assistant messages with no text and no tool call left (thinking only, empty): removed. */
  emptyAssistantMessages: number;
  /** Images: replaced by a marker naming their type (no image data is exported). */
  images: number;
  /** Tool outputs longer than the limit: cut in the middle, with a marker saying how much. */
  truncatedToolOutputs: number;
  /** Strings with lone surrogates or control characters: repaired (U+FFFD, removed). */
  repairedText: number;
  /** Strings that were mostly undecodable bytes: replaced by a marker. */
  undecodableText: number;
};

export function noBadInput(): BadInputCounts {
  return {
    orphanToolCalls: 0,
    orphanToolResults: 0,
    emptyAssistantMessages: 0,
    images: 0,
    truncatedToolOutputs: 0,
    repairedText: 0,
    undecodableText: 0,
  };
}

export function addBadInput(into: BadInputCounts, from: BadInputCounts): void {
  for (const key of Object.keys(into) as (keyof BadInputCounts)[]) into[key] += from[key];
}

/** The text a reader would call the message: content, tool call arguments, tool output. */
export function messageText(message: ChatMessage): string {
  if (message.role !== 'assistant' || message.toolCalls.length === 0) return message.content;
  const calls = message.toolCalls.map((c) => `${c.name} ${JSON.stringify(c.arguments)}`).join('\n');
  return message.content.length === 0 ? calls : `${message.content}\n${calls}`;
}
