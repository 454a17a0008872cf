import { AgentlogError } from '../domain/errors.ts';
import { chatgpt } from './chatgpt/index.ts';
import { claudeCode } from './claude-code/index.ts';
import { codex } from './codex/index.ts';
import { gemini } from './gemini/index.ts';
import { openaiChat } from './openai-chat/index.ts';
import { sharegpt } from './sharegpt/index.ts';
import type { SourceFormat } from './source-format.ts';

/** Every transcript format agentlog reads. A new format is a new folder and one line here. */
export const sourceFormats: readonly SourceFormat[] = [
  claudeCode,
  codex,
  gemini,
  chatgpt,
  openaiChat,
  sharegpt,
];

export function sourceFormat(name: string): SourceFormat {
  const found = sourceFormats.find((s) => s.name === name || s.aliases.includes(name));
  if (!found) {
    const known = sourceFormats.flatMap((s) => s.aliases).join(', ');
    throw new AgentlogError('INVALID_ARGUMENT', `Unknown source "${name}".`, {
      hint: `Known sources: ${known}.`,
    });
  }
  return found;
}
