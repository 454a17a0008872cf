import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/domain/message.ts';
import { rankExcerpts } from '../../src/runs/crash/rank-excerpts.ts';

function message(id: number, role: Message['role'], text: string, extra: Partial<Message> = {}): Message {
  return {
    id,
    sessionId: 'ses_1',
    source: 'claude-code',
    externalId: `m${id}`,
    parentExternalId: null,
    role,
    kind: 'message',
    speaker: null,
    blocks: [{ type: 'text', text }],
    text,
    model: null,
    usage: null,
    responseId: null,
    timestamp: 1_700_000_000_000 + id * 1000,
    seq: id,
    contentHash: `h${id}`,
    meta: {},
    ...extra,
  };
}

async function* stream(messages: Message[]): AsyncIterable<Message> {
  yield* messages;
}

const terms = [
  { term: 'batch_size', weight: 2 },
  { term: 'outofmemoryerror', weight: 3 },
  { term: 'train.py', weight: 3 },
];

describe('rankExcerpts', () => {
  it('keeps the turns that share words with the crash, in conversation order, within the budget', async () => {
    const filler = Array.from({ length: 200 }, (_, i) =>
      message(100 + i, i % 2 ? 'assistant' : 'user', `Chat about lunch option ${i}.`),
    );
    const messages = [
      message(1, 'user', 'Please set batch_size to 512 in train.py.'),
      ...filler.slice(0, 100),
      message(2, 'assistant', 'Set batch_size 512 in train.py as asked.'),
      ...filler.slice(100),
      message(3, 'user', 'Launch it.'),
    ];
    const excerpts = await rankExcerpts(stream(messages), { terms, budgetTokens: 400, recentTurns: 1 });
    expect(excerpts.map((e) => e.messageId)).toEqual([1, 2, 3]);
    expect(excerpts.map((e) => e.n)).toEqual([1, 2, 3]);
    expect(excerpts[0]!.score).toBeGreaterThan(excerpts[1]!.score); // what the user asked weighs more
    expect(excerpts.reduce((sum, e) => sum + e.tokens, 0)).toBeLessThanOrEqual(400);
  });

  it('cuts a long turn to its share of the budget, and drops what does not fit', async () => {
    const long = `batch_size ${'and more words about train.py '.repeat(2000)}`;
    const messages = [
      message(1, 'assistant', long),
      message(2, 'user', 'batch_size train.py outofmemoryerror'),
    ];
    const excerpts = await rankExcerpts(stream(messages), { terms, budgetTokens: 600, recentTurns: 0 });
    const cut = excerpts.find((e) => e.messageId === 1)!;
    expect(cut.tokens).toBeLessThanOrEqual(200);
    expect(cut.tokens).toBe(countTokens(cut.text));
    expect(cut.text.endsWith('…')).toBe(true);
    const none = await rankExcerpts(stream(messages), { terms, budgetTokens: 0, recentTurns: 0 });
    expect(none).toEqual([]);
  });

  it('shows tool calls and their results in short form', async () => {
    const tool = message(1, 'assistant', '', {
      blocks: [
        {
          type: 'tool_use',
          id: 't1',
          name: 'Edit',
          input: { file_path: 'train.py', new_string: 'batch_size = 512' },
        },
      ],
    });
    const [excerpt] = await rankExcerpts(stream([tool]), { terms, budgetTokens: 500 });
    expect(excerpt!.text).toBe('[tool Edit] {"file_path":"train.py","new_string":"batch_size = 512"}');
  });
});
