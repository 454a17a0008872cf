import { describe, expect, it } from 'vitest';
import { joiner, letter, number, wordRuns } from '../../src/enrich/word-runs.ts';

/** The expressions the enrichers used before, and that `wordRuns` must agree with. */
const words = (t: string) => t.match(/[\p{L}\p{N}]+/gu) ?? [];
const terms = (t: string) => t.match(/\p{L}[\p{L}\p{N}'_-]*/gu) ?? [];
const letters = (t: string) => t.match(/[\p{L}]+/gu) ?? [];

const tricky = [
  '',
  "plain ASCII words, 42 numbers and snake_case-ish o'clock",
  "__init__ -- 'quoted' 3rd 120ms v2.1 x86_64",
  'Größe ändern: Ærøskøbing 東京タワー 서울 ไทย',
  'e\u0301 combining marks split words; Σίσυφος',
  'astral 𝒜𝒷𝒸 letters, 😀 emoji, 𝟘𝟙 digits, ١٢٣ Arabic-Indic',
  'lone \ud800 high, lone \udc00 low, pair \ud835\udc9c, end \ud835',
  '\ud835',
  'Ⅻ roman numeral, ½ fraction, ² superscript',
];

/** Random text over a mix of ASCII, BMP letters and marks, surrogates (paired and lone), astral code points. */
function randomText(seed: number, length: number): string {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pools = [
    () => String.fromCharCode(32 + Math.floor(next() * 95)),
    () => String.fromCharCode(0xa0 + Math.floor(next() * 0x2000)),
    () => String.fromCharCode(0xd800 + Math.floor(next() * 0x800)),
    () => String.fromCodePoint(0x10000 + Math.floor(next() * 0x20000)),
    () => String.fromCharCode(0x3000 + Math.floor(next() * 0x7000)),
  ];
  let out = '';
  while (out.length < length) out += pools[Math.floor(next() * pools.length)]!();
  return out;
}

describe('wordRuns', () => {
  const samples = [...tricky, ...Array.from({ length: 300 }, (_, i) => randomText(i + 1, 200))];

  it.each([
    ['letters and numbers', letter | number, letter | number, words],
    ['a letter, then letters, numbers and joiners', letter, letter | number | joiner, terms],
    ['letters', letter, letter, letters],
  ] as const)('cuts %s as the regex does', (_, first, rest, regex) => {
    for (const text of samples) expect(wordRuns(text, first, rest)).toEqual(regex(text));
  });

  it('finds the words of a sentence', () => {
    expect(wordRuns("it's 3 o'clock", letter, letter | number | joiner)).toEqual(["it's", "o'clock"]);
  });
});
