import { wordHashes, type WordHashes } from '../word-hashes.ts';

/**
 * Gopher-style repetition measures over the assistant's prose (the thresholds of the Gopher
 * paper, as datatrove uses them): duplicate lines, the most frequent 2-gram, duplicated 5-grams.
 * Each measure is divided by its threshold, so 1 means "at the threshold". Words are compared by
 * hash (word-hashes.ts), n-grams by a hash of their words' hashes.
 */

const duplicateLineChars = 0.2;
const top2gramChars = 0.2;
const duplicate5gramChars = 0.15;

/** Texts shorter than this are too short to judge. */
const minChars = 200;

/** The worst measure relative to its threshold (0: no repetition; 1: at a Gopher threshold). */
export function repetitionRatio(text: string): number {
  const prose = withoutCode(text);
  if (prose.length < minChars) return 0;
  const words = wordHashes(prose);
  return Math.max(
    duplicateLineShare(prose) / duplicateLineChars,
    top2gramShare(words) / top2gramChars,
    duplicate5gramShare(words) / duplicate5gramChars,
  );
}

/** Code blocks repeat by nature (imports, braces): only prose is judged. */
function withoutCode(text: string): string {
  return text.includes('```') ? text.replace(/```[\s\S]*?```/g, '\n') : text;
}

/** Characters in lines that occur more than once, over all characters of non-empty lines. */
function duplicateLineShare(text: string): number {
  const counts = new Map<string, number>();
  let total = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.length === 0) continue;
    total += line.length;
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  let duplicated = 0;
  for (const [line, n] of counts) if (n > 1) duplicated += line.length * (n - 1);
  return total === 0 ? 0 : duplicated / total;
}

function wordChars(words: WordHashes): number {
  let n = 0;
  for (let i = 0; i < words.count; i++) n += words.lengths[i]!;
  return n;
}

/**
 * Counts of 32-bit keys in an open-addressing table (linear probing): for the few thousand
 * n-grams of a text, several times faster than a Map.
 */
class KeyCounts {
  private readonly keys: Uint32Array;
  private readonly counts: Uint32Array;
  private readonly mask: number;

  constructor(expected: number) {
    let size = 16;
    while (size < expected * 2) size *= 2;
    this.keys = new Uint32Array(size);
    this.counts = new Uint32Array(size);
    this.mask = size - 1;
  }

  /** Adds one to the key's count and returns the new count. */
  add(key: number): number {
    let i = (Math.imul(key, 0x9e3779b1) >>> 0) & this.mask;
    while (this.counts[i] !== 0 && this.keys[i] !== key) i = (i + 1) & this.mask;
    this.keys[i] = key;
    return ++this.counts[i]!;
  }
}

/** Characters covered by the most frequent 2-gram, over all word characters. */
function top2gramShare(words: WordHashes): number {
  const { hashes, lengths, count } = words;
  if (count < 2) return 0;
  const counts = new KeyCounts(count);
  let best = 0;
  let bestChars = 0;
  for (let i = 0; i + 1 < count; i++) {
    const n = counts.add((Math.imul(hashes[i]!, 0x9e3779b1) ^ hashes[i + 1]!) >>> 0);
    if (n > best) {
      best = n;
      bestChars = lengths[i]! + lengths[i + 1]!;
    }
  }
  return best < 2 ? 0 : (bestChars * best) / Math.max(1, wordChars(words));
}

/** Characters of words inside 5-grams that occur more than once, over all word characters. */
function duplicate5gramShare(words: WordHashes): number {
  const { hashes, lengths, count } = words;
  const n = 5;
  if (count < n) return 0;
  const seen = new KeyCounts(count);
  const covered = new Uint8Array(count);
  for (let i = 0; i + n <= count; i++) {
    let key = 0x9e3779b1;
    for (let k = i; k < i + n; k++) key = Math.imul(key ^ hashes[k]!, 0x01000193);
    if (seen.add(key >>> 0) > 1) covered.fill(1, i, i + n);
  }
  let chars = 0;
  for (let i = 0; i < count; i++) if (covered[i] === 1) chars += lengths[i]!;
  return chars / Math.max(1, wordChars(words));
}
