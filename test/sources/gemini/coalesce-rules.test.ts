import { describe, expect, it } from 'vitest';
import type { MessageInput } from '../../../src/domain/message.ts';
import type { ParsedRecord } from '../../../src/sources/source-format.ts';
import { coalesceCopies, type PriorCopy } from '../../../src/sources/gemini/coalesce.ts';

function copy(id: string, hash: string, revisable = true): ParsedRecord {
  const message = { externalId: id, contentHash: hash, revisable } as MessageInput;
  const usage = { dedupKey: `s:${id}` } as ParsedRecord['usage'];
  return {
    recordType: 'gemini',
    sessionExternalId: 's',
    sessions: [],
    message,
    usage,
    images: [],
    problem: null,
  };
}

/**
 * Which records keep their message, as `id:hash`, or `-` for a copy left without it; `prior` is
 * what the store holds of every message before (an unknown one is tested without this helper).
 */
function kept(records: ParsedRecord[], prior: PriorCopy | undefined = 'none'): string[] {
  return coalesceCopies(records, () => prior).map((r) =>
    r.message === null ? '-' : `${r.message.externalId}:${r.message.contentHash}`,
  );
}

describe('gemini: which copies of a message decide the stored row', () => {
  it('keeps the first of the last copies sharing a hash, and every message of its own', () => {
    expect(kept([copy('a', '1'), copy('b', '1'), copy('a', '2'), copy('a', '3')])).toEqual([
      '-',
      'b:1',
      '-',
      'a:3',
    ]);
    // Copies that change nothing the hash covers (a time, a display field): the first one stays.
    expect(kept([copy('a', '1'), copy('a', '2'), copy('a', '2')])).toEqual(['-', 'a:2', '-']);
    expect(kept([copy('a', '1'), copy('a', '1')])).toEqual(['a:1', '-']);
  });

  it('keeps the copy before when the store may already hold the last hash', () => {
    const changedBack = [copy('a', '2'), copy('a', '1')];
    // Stored with another hash (or not at all): the last copy alone replaces it.
    expect(kept(changedBack, { contentHash: '2', revisable: true })).toEqual(['-', 'a:1']);
    expect(kept(changedBack, 'none')).toEqual(['-', 'a:1']);
    // Stored with the last hash, or unknown: alone it would be ignored as the same version.
    expect(kept(changedBack, { contentHash: '1', revisable: true })).toEqual(['a:2', 'a:1']);
    expect(kept(changedBack, { contentHash: '3', revisable: false })).toEqual(['a:2', 'a:1']);
    expect(coalesceCopies(changedBack, () => undefined).map((r) => r.message?.contentHash)).toEqual([
      '2',
      '1',
    ]);
    // All copies alike: whatever the store holds, the first decides as much as all of them.
    expect(
      coalesceCopies([copy('a', '1'), copy('a', '1')], () => undefined).map((r) => r.message?.contentHash),
    ).toEqual(['1', undefined]);
  });

  it('leaves alone a message with a copy that is not revisable, and keeps usage of every copy', () => {
    expect(kept([copy('a', '1', false), copy('a', '2'), copy('a', '2')])).toEqual(['a:1', 'a:2', 'a:2']);
    const out = coalesceCopies([copy('a', '1'), copy('a', '2')], () => 'none');
    expect(out.map((r) => r.usage?.dedupKey)).toEqual(['s:a', 's:a']);
  });
});
