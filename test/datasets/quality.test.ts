import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/datasets/example.ts';
import { scoreExample, weakest } from '../../src/datasets/quality/quality-score.ts';

const u = (content: string): ChatMessage => ({ role: 'user', content });
const a = (content: string, weight: 0 | 1 = 1): ChatMessage => ({
  role: 'assistant',
  content,
  toolCalls: [],
  weight,
});
const good =
  'The parser fails because the tokenizer drops the last character of every quoted string. Keep the closing quote in the slice and the test passes. ' +
  'I also added a case for an empty string, which the old code turned into a lone quote, and a case for escaped quotes.';

describe('quality score', () => {
  it('scores a complete, clean exchange near 1', () => {
    const q = scoreExample([u('Why does the parser fail?'), a(good)]);
    expect(q.score).toBeGreaterThan(0.95);
    expect(q.components).toEqual({
      structure: 1,
      length: 1,
      toolErrors: 1,
      repetition: 1,
      refusals: 1,
      truncation: 1,
    });
  });

  it('gives 0 without a user message or without a trained answer, whatever else', () => {
    expect(scoreExample([a(good)]).score).toBe(0);
    expect(scoreExample([u('hi'), a(good, 0)]).score).toBe(0);
  });

  it('counts failed tool results, with credit for a recovery', () => {
    const call = (id: string): ChatMessage => ({
      role: 'assistant',
      content: '',
      toolCalls: [{ id, name: 'Bash', arguments: {} }],
      weight: 1,
    });
    const tool = (id: string, content: string, isError = false): ChatMessage => ({
      role: 'tool',
      toolCallId: id,
      name: 'Bash',
      content,
      isError,
    });
    const failing = scoreExample([
      u('run it'),
      call('1'),
      tool('1', 'bash: foo: command not found'),
      call('2'),
      tool('2', 'x', true),
      a(good),
    ]);
    expect(failing.components.toolErrors).toBe(0);
    const recovered = scoreExample([
      u('run it'),
      call('1'),
      tool('1', 'x', true),
      call('2'),
      tool('2', 'fine'),
      a(good),
    ]);
    expect(recovered.components.toolErrors).toBe(0.5);
  });

  it('punishes repetition, refusals and an ending that is not an answer', () => {
    const loop = Array.from({ length: 30 }, () => 'I will try again now.').join('\n');
    expect(scoreExample([u('go'), a(loop)]).components.repetition).toBe(0);
    const refusal = scoreExample([u('do it'), a("I'm sorry, but I can't help with that request today.")]);
    expect(refusal.components.refusals).toBe(0);
    const unanswered = scoreExample([u('go'), a(good), u('and then?')]);
    expect(unanswered.components.truncation).toBeLessThan(0.5);
    expect(unanswered.components.structure).toBe(0.5);
    expect(weakest(unanswered.components)).toBe('structure 0.5, truncation 0.3');
  });

  it('gives nothing for an answer too short to learn from', () => {
    expect(scoreExample([u('ok?'), a('ok')]).components.length).toBe(0);
  });
});
