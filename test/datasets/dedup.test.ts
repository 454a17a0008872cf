import { describe, expect, it } from 'vitest';
import { exactKey } from '../../src/datasets/dedup/exact-key.ts';
import { comparedText, minhash, similarity } from '../../src/datasets/dedup/minhash.ts';
import { NearDuplicateIndex } from '../../src/datasets/dedup/near-duplicates.ts';
import type { ChatMessage } from '../../src/datasets/example.ts';
import { splitOf } from '../../src/datasets/split.ts';

const exchange = (callId: string, path: string, trailing = ''): ChatMessage[] => [
  { role: 'user', content: `read the config file${trailing}` },
  {
    role: 'assistant',
    content: '',
    toolCalls: [{ id: callId, name: 'Read', arguments: { path } }],
    weight: 1,
  },
  { role: 'tool', toolCallId: callId, name: 'Read', content: 'port = 8080', isError: false },
  { role: 'assistant', content: 'It sets the port to 8080.', toolCalls: [], weight: 1 },
];

const prose = (seed: number, changed = 0) => {
  const words = Array.from({ length: 200 }, (_, i) => `word${(i * 7 + seed * 131) % 997}`);
  for (let i = 0; i < changed; i++) words[i * 10] = `changed${i}`;
  return words.join(' ');
};
const sim = (a: string, b: string) => similarity(minhash(a)!, 0, minhash(b)!, 0);

describe('de-duplication', () => {
  it('the exact key ignores tool-call ids, home directories and trailing white space, not content or weights', () => {
    const a = exactKey(exchange('toolu_1', '/home/alice/app.toml'));
    expect(exactKey(exchange('call_zz', '/home/bob/app.toml', '  '))).toBe(a);
    expect(exactKey(exchange('toolu_1', '/home/alice/other.toml'))).not.toBe(a);
    const context = exchange('toolu_1', '/home/alice/app.toml').map((m) =>
      m.role === 'assistant' ? { ...m, weight: 0 as const } : m,
    );
    expect(exactKey(context)).not.toBe(a);
  });

  it('MinHash estimates Jaccard similarity of 5-word shingles', () => {
    expect(sim(prose(1), prose(1))).toBe(1);
    expect(sim(prose(1), prose(1, 2))).toBeGreaterThan(0.8);
    expect(sim(prose(1), prose(2))).toBeLessThan(0.2);
    expect(minhash('   ')).toBeNull();
    expect(comparedText(exchange('c', '/x'))).toBe('read the config file\n\nIt sets the port to 8080.');
  });

  it('clusters near-duplicates and leaves different texts alone', () => {
    const index = new NearDuplicateIndex(0.8);
    const first = index.add(minhash(prose(1)));
    const twin = index.add(minhash(prose(1, 2)));
    const other = index.add(minhash(prose(2)));
    const none = index.add(null);
    expect(first.match).toBe(-1);
    expect(twin.match).toBe(first.index);
    expect(twin.similarity).toBeGreaterThan(0.8);
    expect(other.match).toBe(-1);
    expect(index.clusters.find(twin.index)).toBe(index.clusters.find(first.index));
    expect(index.clusters.find(other.index)).not.toBe(index.clusters.find(first.index));
    expect(index.clusters.find(none.index)).toBe(none.index);
  });

  it('the split is a stable function of the seed and the group', () => {
    expect(splitOf('ses_a', 'agentlog', 0)).toBe('train');
    const sides = Array.from({ length: 2000 }, (_, i) => splitOf(`ses_${i}`, 'agentlog', 0.1));
    const validation = sides.filter((s) => s === 'validation').length;
    expect(validation).toBeGreaterThan(140);
    expect(validation).toBeLessThan(260);
    expect(Array.from({ length: 2000 }, (_, i) => splitOf(`ses_${i}`, 'agentlog', 0.1))).toEqual(sides);
    expect(Array.from({ length: 2000 }, (_, i) => splitOf(`ses_${i}`, 'other', 0.1))).not.toEqual(sides);
  });
});
