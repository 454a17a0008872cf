import { beforeAll, describe, expect, it } from 'vitest';
import { buildOptionsSchema, type BuildOptions } from '../../src/config/datasets-config.ts';
import type { Session } from '../../src/domain/session.ts';
import type { Conversation } from '../../src/datasets/conversation.ts';
import type { ChatMessage, SourcedMessage } from '../../src/datasets/example.ts';
import { examplesOf, resolveStrategy } from '../../src/datasets/strategies/pick-strategy.ts';
import { lazyCountTokens, TokenMeter } from '../../src/datasets/token-meter.ts';

let meter: TokenMeter;
beforeAll(async () => {
  meter = new TokenMeter(lazyCountTokens(), false);
});

const session = { id: 'ses_s', title: 'Buy a lamp', source: 'api' } as Session;
let id = 0;
const sourced = (message: ChatMessage): SourcedMessage => ({ message, sourceIds: [++id] });
const u = (content: string) => sourced({ role: 'user', content });
const a = (content: string) => sourced({ role: 'assistant', content, toolCalls: [], weight: 1 });

function conversation(messages: SourcedMessage[], extra: Partial<Conversation> = {}): Conversation {
  return {
    messages,
    system: null,
    interactions: [],
    excluded: 0,
    badInput: {
      orphanToolCalls: 0,
      orphanToolResults: 0,
      emptyAssistantMessages: 0,
      images: 0,
      truncatedToolOutputs: 0,
      repairedText: 0,
      undecodableText: 0,
    },
    ...extra,
  };
}
const options = (o: Partial<BuildOptions> = {}) => buildOptionsSchema.parse(o);
const turns = (n: number, words = 20) =>
  Array.from({ length: n }, (_, i) => [
    u(`question ${i} ${'word '.repeat(words)}`),
    a(`answer ${i} ${'word '.repeat(words)}`),
  ]).flat();

describe('strategies', () => {
  it('conversation: one example with every assistant message trained, the system prompt as configured', () => {
    const c = conversation(turns(3), { system: 'Session prompt' });
    const [own] = examplesOf({ session, conversation: c, options: options(), meter });
    expect(own!.messages[0]).toEqual({ role: 'system', content: 'Session prompt' });
    const [fixed] = examplesOf({
      session,
      conversation: c,
      options: options({ systemPrompt: 'Fixed' }),
      meter,
    });
    expect(fixed!.messages[0]).toEqual({ role: 'system', content: 'Fixed' });
    const [none] = examplesOf({ session, conversation: c, options: options({ systemPrompt: '' }), meter });
    expect(none!.messages[0]!.role).toBe('user');
    expect(
      none!.messages
        .filter((m) => m.role === 'assistant')
        .every((m) => m.role === 'assistant' && m.weight === 1),
    ).toBe(true);
    expect(none!.messageIds).toHaveLength(6);
    expect(none!.sessionId).toBe('ses_s');
  });

  it('conversation: a long session is cut at turn boundaries into parts within the budget, no turn in two', () => {
    const c = conversation(turns(12, 60));
    const examples = examplesOf({
      session,
      conversation: c,
      options: options({ maxExampleTokens: 400 }),
      meter,
    });
    expect(examples.length).toBeGreaterThan(2);
    const seen = examples.flatMap((e) => e.messageIds);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(24);
    for (const e of examples) {
      expect(meter.exact(e.messages)).toBeLessThanOrEqual(400);
      expect(e.messages[0]!.role).toBe('user');
      expect(e.messages.at(-1)!.role).toBe('assistant');
    }
    expect(new Set(examples.map((e) => e.id)).size).toBe(examples.length);
  });

  it('turns: one example per assistant turn, the context at weight 0, each turn trained once', () => {
    const c = conversation(turns(4));
    const examples = examplesOf({ session, conversation: c, options: options({ strategy: 'turns' }), meter });
    expect(examples).toHaveLength(4);
    const trained = examples.flatMap((e) =>
      e.messages.filter((m) => m.role === 'assistant' && m.weight === 1).map((m) => m.content),
    );
    expect(trained).toHaveLength(4);
    expect(new Set(trained).size).toBe(4);
    expect(examples[3]!.messages.filter((m) => m.role === 'assistant' && m.weight === 0)).toHaveLength(3);
  });

  it('turns: context that does not fit the budget is left out from the oldest turn on', () => {
    const c = conversation(turns(10, 40));
    const examples = examplesOf({
      session,
      conversation: c,
      options: options({ strategy: 'turns', maxExampleTokens: 300 }),
      meter,
    });
    const last = examples.at(-1)!;
    expect(meter.exact(last.messages)).toBeLessThanOrEqual(300);
    expect(last.messages.length).toBeLessThan(20);
    expect(last.messages.at(-1)!.content).toMatch(/^answer 9/);
  });

  it('journey: the goal and the steps so far, answered with the next action as JSON', () => {
    const c = conversation([u('I need a desk lamp')], {
      interactions: [
        { sourceId: 91, position: 1, event: { type: 'navigate', url: 'https://shop.example/' } },
        {
          sourceId: 92,
          position: 1,
          event: { type: 'click', target: 'a#lamps', text: 'Lamps', url: 'https://shop.example/' },
        },
      ],
    });
    expect(resolveStrategy('auto', c)).toBe('journey');
    const examples = examplesOf({ session, conversation: c, options: options(), meter });
    expect(examples).toHaveLength(2);
    const second = examples[1]!;
    expect(second.strategy).toBe('journey');
    expect(second.messages[1]!.content).toContain('Goal: Buy a lamp');
    expect(second.messages[1]!.content).toContain('1. User said: I need a desk lamp');
    expect(second.messages[1]!.content).toContain('2. navigate on https://shop.example/');
    expect(second.messages[1]!.content).toContain('Current page: https://shop.example/');
    expect(JSON.parse(second.messages[2]!.content)).toEqual({
      type: 'click',
      target: 'a#lamps',
      text: 'Lamps',
      url: 'https://shop.example/',
    });
    expect(second.messageIds.at(-1)).toBe(92);
  });

  it('a conversation without any assistant answer gives no example', () => {
    expect(
      examplesOf({ session, conversation: conversation([u('hello?')]), options: options(), meter }),
    ).toEqual([]);
  });
});
