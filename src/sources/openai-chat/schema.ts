import type { Role } from '../../domain/message.ts';

/** Narrow shape of OpenAI chat JSONL (fine-tuning files, chat logs): shared/notes/transcript-formats.md §4. */

export const openaiChatSource = 'openai-chat';

/** Message roles and ours; `developer` is the newer name of `system`, `function` the older `tool`. */
export const roles: Readonly<Record<string, Role>> = {
  system: 'system',
  developer: 'system',
  user: 'user',
  assistant: 'assistant',
  tool: 'tool',
  function: 'tool',
};

/** Keys some datasets put the model's reasoning under (DeepSeek, gpt-oss Harmony). */
export const reasoningKeys = ['reasoning_content', 'thinking'] as const;
