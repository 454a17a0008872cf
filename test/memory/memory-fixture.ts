import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { expect } from 'vitest';
import { AgentlogError } from '../../src/domain/errors.ts';
import { openMemory, type SessionMemory } from '../../src/memory/index.ts';

export { countTokens };

/** Session memory over a fresh store in `dir`. */
export function memoryIn(dir: string): Promise<SessionMemory> {
  return openMemory({ dataDir: dir });
}

/** Adds plain-text messages in order, alternating user and assistant; returns their ids. */
export async function converse(
  memory: SessionMemory,
  session: string,
  texts: readonly string[],
): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, content] of texts.entries()) {
    const { message } = await memory.addMessage(session, {
      role: i % 2 === 0 ? 'user' : 'assistant',
      content,
    });
    ids.push(message.id);
  }
  return ids;
}

/** The AgentlogError code a promise is rejected with. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AgentlogError);
  return (error as AgentlogError).code;
}
