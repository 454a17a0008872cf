import type { Role } from '../../domain/message.ts';

/** Narrow shape of ShareGPT data (LLaMA-Factory, Axolotl, older dumps): shared/notes/transcript-formats.md §4. */

export const sharegptSource = 'sharegpt';

/** What a turn's `from` says, in our terms; calls and observations are tool use and tool results. */
export type TurnKind = { role: Role; call: boolean };

export const turnKinds: Readonly<Record<string, TurnKind>> = {
  human: { role: 'user', call: false },
  user: { role: 'user', call: false },
  gpt: { role: 'assistant', call: false },
  assistant: { role: 'assistant', call: false },
  chatgpt: { role: 'assistant', call: false },
  bing: { role: 'assistant', call: false },
  bard: { role: 'assistant', call: false },
  model: { role: 'assistant', call: false },
  system: { role: 'system', call: false },
  function_call: { role: 'assistant', call: true },
  observation: { role: 'tool', call: false },
  tool: { role: 'tool', call: false },
  function: { role: 'tool', call: false },
};
