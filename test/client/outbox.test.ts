import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/client/backoff.ts';
import { Outbox, type Entry } from '../../src/client/outbox.ts';

const entry = (seq: number, bytes = 10): Entry => ({
  seq,
  type: 'message',
  id: `m${seq}`,
  body: '{}',
  bytes,
});

describe('the outbox', () => {
  it('drops the oldest only when full, by count or by bytes', () => {
    const box = new Outbox({ maxEntries: 3, maxBytes: 100 });
    for (const seq of [1, 2, 3]) expect(box.push(entry(seq))).toEqual([]);
    expect(box.push(entry(4)).map((e) => e.seq)).toEqual([1]);
    expect(box.push(entry(5, 85)).map((e) => e.seq)).toEqual([2, 3]);
    expect([box.size, box.peek()?.seq]).toEqual([2, 4]);
    // One entry larger than the limit is still kept: the buffer never refuses the newest.
    expect(box.push(entry(6, 500)).map((e) => e.seq)).toEqual([4, 5]);
    expect(box.size).toBe(1);
  });

  it('takes from the front while entries fit, and puts a failed send back in order', () => {
    const box = new Outbox({ maxEntries: 10, maxBytes: 1000 });
    for (let seq = 1; seq <= 6; seq++) box.push(entry(seq));
    const taken = box.take(4, (_e, before) => before.length < 3);
    expect(taken.map((e) => e.seq)).toEqual([1, 2, 3]);
    box.push(entry(7));
    expect(box.unshift(taken)).toEqual([]);
    expect(box.take(10, () => true).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(box.size).toBe(0);
  });

  it('drops the oldest when entries put back no longer fit', () => {
    const box = new Outbox({ maxEntries: 3, maxBytes: 1000 });
    for (let seq = 1; seq <= 3; seq++) box.push(entry(seq));
    const taken = box.take(2, () => true);
    box.push(entry(4));
    box.push(entry(5));
    expect(box.unshift(taken).map((e) => e.seq)).toEqual([1, 2]);
    expect(box.clear().map((e) => e.seq)).toEqual([3, 4, 5]);
  });
});

describe('backoff', () => {
  it('grows exponentially up to the ceiling, with jitter between half the first delay and the ceiling', () => {
    const options = { initialDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5, 10].map((attempt) => backoffDelay(attempt, options, () => 1))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffDelay(7, options, () => 0)).toBe(50);
  });
});
