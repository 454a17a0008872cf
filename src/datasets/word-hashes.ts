/** The words of a text as 32-bit hashes (FNV-1a, lower-cased) with their lengths. */
export type WordHashes = { hashes: Uint32Array; lengths: Uint16Array; count: number };

/**
 * Splits text into words without a regular expression or a string per word: letters, digits,
 * `_` and `'` of ASCII, and every character beyond ASCII, form words; ASCII letters are
 * lower-cased. Quality measures and MinHash only compare words, so hashes are enough.
 */
export function wordHashes(text: string): WordHashes {
  let hashes = new Uint32Array(Math.max(16, text.length >>> 3));
  let lengths = new Uint16Array(hashes.length);
  let count = 0;
  let h = 0x811c9dc5;
  let length = 0;
  const end = () => {
    if (count === hashes.length) {
      const grownH = new Uint32Array(hashes.length * 2);
      grownH.set(hashes);
      hashes = grownH;
      const grownL = new Uint16Array(lengths.length * 2);
      grownL.set(lengths);
      lengths = grownL;
    }
    hashes[count] = h >>> 0;
    lengths[count] = Math.min(length, 65_535);
    count++;
    h = 0x811c9dc5;
    length = 0;
  };
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    const word =
      (c >= 97 && c <= 122) ||
      (c >= 48 && c <= 57) ||
      (c >= 65 && c <= 90) ||
      c === 95 ||
      c === 39 ||
      c > 127;
    if (!word || (c > 127 && isSpace(c))) {
      if (length > 0) end();
      continue;
    }
    if (c >= 65 && c <= 90) c |= 0x20;
    h = Math.imul(h ^ c, 0x01000193);
    length++;
  }
  if (length > 0) end();
  return { hashes, lengths, count };
}

/** White space and common punctuation beyond ASCII (no-break space, dashes, quotes, ellipsis). */
function isSpace(c: number): boolean {
  return c === 0xa0 || (c >= 0x2000 && c <= 0x206f) || c === 0x3000 || c === 0xfeff;
}
