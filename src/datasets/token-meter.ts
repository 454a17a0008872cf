import { createRequire } from 'node:module';
import type * as O200kModule from 'gpt-tokenizer/encoding/o200k_base';
import { estimateTokens } from '../enrich/tokens.ts';
import type { ChatMessage } from './example.ts';

export type CountTokens = (text: string) => number;

type O200k = typeof O200kModule;

/** The tokenizer the budget is measured with, named in manifests and reports. */
export const tokenizerName = 'gpt-tokenizer o200k_base';

/**
 * gpt-tokenizer's o200k_base counter, loaded on first use: loading takes a moment and holds its
 * vocabulary in memory, and most builds never count exactly (see TokenMeter).
 */
export function lazyCountTokens(): CountTokens {
  let count: CountTokens | null = null;
  return (text) => {
    if (count === null) {
      const load = createRequire(import.meta.url);
      const { countTokens } = load('gpt-tokenizer/encoding/o200k_base') as O200k;
      // Special-token text (`<|endoftext|>`) in a conversation is counted as text, not refused.
      const asText = { disallowedSpecial: new Set<string>() };
      count = (t) => countTokens(t, asText);
    }
    return count(text);
  };
}

/** The OpenAI cookbook's chat overhead: 3 tokens per message, 1 per name, 3 to prime the reply. */
const perMessage = 3;
const perName = 1;
const priming = 3;

/** The texts of a message that are tokenized: content, each call's name and arguments. */
function texts(message: ChatMessage): string[] {
  if (message.role === 'assistant')
    return [message.content, ...message.toolCalls.flatMap((c) => [c.name, JSON.stringify(c.arguments)])];
  if (message.role === 'tool') return [message.content, message.name];
  return [message.content];
}

function overhead(messages: readonly ChatMessage[]): number {
  let names = 0;
  for (const m of messages) if (m.role === 'tool') names++;
  return messages.length * perMessage + names * perName + priming;
}

export type Measure = { total: number; trainable: number; exact: boolean };

/**
 * Token counts of examples. Exact counting costs about a second per 6 MB of text, so by default
 * an example is counted exactly only when it might be over the budget: a byte-level BPE token
 * holds at least one byte, so UTF-8 bytes bound the count from above. Below that bound the
 * count is an estimate (enrich/tokens.ts), and says so.
 */
export class TokenMeter {
  private readonly count: CountTokens;
  private readonly alwaysExact: boolean;

  constructor(count: CountTokens, alwaysExact: boolean) {
    this.count = count;
    this.alwaysExact = alwaysExact;
  }

  /** No tokenizer can count more tokens than this. */
  upperBound(messages: readonly ChatMessage[]): number {
    let bytes = 0;
    for (const m of messages) for (const t of texts(m)) bytes += Buffer.byteLength(t, 'utf8');
    return bytes + overhead(messages);
  }

  exact(messages: readonly ChatMessage[]): number {
    let tokens = 0;
    for (const m of messages) for (const t of texts(m)) if (t.length > 0) tokens += this.count(t);
    return tokens + overhead(messages);
  }

  /** A part's exact share of an example's count: the reply priming is counted once per example. */
  exactPart(messages: readonly ChatMessage[]): number {
    return this.exact(messages) - priming;
  }

  estimate(messages: readonly ChatMessage[]): number {
    let tokens = 0;
    for (const m of messages) for (const t of texts(m)) tokens += estimateTokens(t);
    return tokens + overhead(messages);
  }

  /** Whether the messages fit the budget, counting exactly only when the bound says they might not. */
  fits(messages: readonly ChatMessage[], budget: number): boolean {
    return this.upperBound(messages) <= budget || this.exact(messages) <= budget;
  }

  /** Total and trainable (weight 1 assistant) tokens, exact when asked or near the budget. */
  measure(messages: readonly ChatMessage[], budget: number): Measure {
    let bytes = 0;
    let total = 0;
    let trainable = 0;
    for (const m of messages) {
      let own = 0;
      for (const t of texts(m)) {
        bytes += Buffer.byteLength(t, 'utf8');
        own += estimateTokens(t);
      }
      total += own;
      if (m.role === 'assistant' && m.weight === 1) trainable += own;
    }
    const exact = this.alwaysExact || bytes + overhead(messages) > budget;
    if (!exact) return { total: total + overhead(messages), trainable, exact };
    const weighted = messages.filter((m) => m.role === 'assistant' && m.weight === 1);
    const trainableExact = weighted.length === 0 ? 0 : this.exact(weighted) - overhead(weighted);
    return { total: this.exact(messages), trainable: trainableExact, exact };
  }
}
