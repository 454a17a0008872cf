/**
 * Runs of letters and numbers cut out of a text, what `text.match(/[\p{L}\p{N}]+/gu)` and its kin
 * return, without the regex: Unicode property classes in a `u` regex cost ~15 ns a character, and
 * enrichers cut every message into words several times. The class of each character is still the
 * regex engine's (asked once per character and remembered), so the runs are the same.
 */

/** Character classes, combined as bits: `\p{L}`, `\p{N}`, and the ASCII `'`, `_`, `-`. */
export const letter = 1;
export const number = 2;
export const joiner = 4;

const ascii = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) ascii[c] = letter;
  else if (c >= 48 && c <= 57) ascii[c] = number;
  else if (c === 39 || c === 95 || c === 45) ascii[c] = joiner;
}

/** Classes of the other BMP code units, 0 until asked (the bit 128 marks "known"). */
const bmp = new Uint8Array(0x10000);
const astral = new Map<number, number>();
const isLetter = /^\p{L}$/u;
const isNumber = /^\p{N}$/u;

function classify(char: string): number {
  return isLetter.test(char) ? letter : isNumber.test(char) ? number : 0;
}

function classOf(code: number): number {
  if (code < 128) return ascii[code]!;
  if (code < 0x10000) {
    let known = bmp[code]!;
    if (known === 0) bmp[code] = known = 128 | classify(String.fromCharCode(code));
    return known & 127;
  }
  let known = astral.get(code);
  if (known === undefined) astral.set(code, (known = classify(String.fromCodePoint(code))));
  return known;
}

/**
 * The maximal runs of code points that begin with a character of class `first` and go on with
 * characters of class `rest` (`first` must be within `rest`), in order, as a global `u` regex
 * finds them: `wordRuns(t, letter | number, letter | number)` is
 * `t.match(/[\p{L}\p{N}]+/gu) ?? []`. A lone surrogate is neither letter nor number.
 */
export function wordRuns(text: string, first: number, rest: number): string[] {
  const out: string[] = [];
  const n = text.length;
  let start = -1;
  let i = 0;
  while (i < n) {
    let code = text.charCodeAt(i);
    let width = 1;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < n) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    const cls = classOf(code);
    if (start === -1) {
      if ((cls & first) !== 0) start = i;
    } else if ((cls & rest) === 0) {
      out.push(text.slice(start, i));
      start = -1;
    }
    i += width;
  }
  if (start !== -1) out.push(text.slice(start));
  return out;
}
