import { describe, expect, it } from 'vitest';
import { rewriteJsonStrings } from '../../src/enrich/json-strings.ts';

describe('rewriteJsonStrings', () => {
  const text = '{"a":"plain","b":"esc\\"aped\\n","c":[1,"\\u0041KIA"],"d":"after","n":4111111111111111}';

  it('hands every literal over decoded, escaped or not, and the gaps in order', () => {
    const strings: string[] = [];
    const gaps: string[] = [];
    const same = rewriteJsonStrings(
      text,
      (s) => (strings.push(s), s),
      (g) => (gaps.push(g), g),
    );
    expect(same).toBe(text);
    expect(strings).toEqual(['a', 'plain', 'b', 'esc"aped\n', 'c', 'AKIA', 'd', 'after', 'n']);
    expect(gaps.join('')).toBe('{:,:,:[1,],:,:4111111111111111}');
  });

  it('re-encodes only what changed, and passes only gaps at least gapMinLength long', () => {
    const gaps: string[] = [];
    const out = rewriteJsonStrings(
      text,
      (s) => (s === 'AKIA' ? 'akia' : s),
      (g) => (gaps.push(g), g.replace(/\d{12,}/, '"card"')),
      12,
    );
    expect(gaps).toEqual([':4111111111111111}']);
    expect(out).toBe('{"a":"plain","b":"esc\\"aped\\n","c":[1,"akia"],"d":"after","n":"card"}');
  });

  it('is null for text that is not JSON', () => {
    expect(
      rewriteJsonStrings(
        '{"open',
        (s) => s,
        (g) => g,
      ),
    ).toBeNull();
    expect(
      rewriteJsonStrings(
        '{"bad":"\\x"}',
        (s) => s,
        (g) => g,
      ),
    ).toBeNull();
  });
});
