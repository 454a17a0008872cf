/**
 * Gopher-style repetition measures over the assistant's prose (the thresholds of the Gopher
 * paper, as datatrove uses them): duplicate lines, the most frequent 2-gram, duplicated 5-grams.
 * Each measure is divided by its threshold, so 1 means "at the threshold".
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
  const words = prose.toLowerCase().match(/[\p{L}\p{N}_']+/gu) ?? [];
  return Math.max(
    duplicateLineShare(prose) / duplicateLineChars,
    topNgramShare(words, 2) / top2gramChars,
    duplicateNgramShare(words, 5) / duplicate5gramChars,
  );
}

/** Code blocks repeat by nature (imports, braces): only prose is judged. */
function withoutCode(text: string): string {
  return text.replace(/```[\s\S]*?```/g, '\n');
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

function wordChars(words: readonly string[]): number {
  let n = 0;
  for (const w of words) n += w.length;
  return n;
}

/** Characters covered by the most frequent n-gram, over all word characters. */
function topNgramShare(words: readonly string[], n: number): number {
  if (words.length < n) return 0;
  const counts = new Map<string, number>();
  let best = 0;
  let bestGram = '';
  for (let i = 0; i + n <= words.length; i++) {
    const gram = words.slice(i, i + n).join(' ');
    const count = (counts.get(gram) ?? 0) + 1;
    counts.set(gram, count);
    if (count > best) {
      best = count;
      bestGram = gram;
    }
  }
  if (best < 2) return 0;
  const gramChars = bestGram.length - (n - 1);
  return (gramChars * best) / Math.max(1, wordChars(words));
}

/** Characters of words inside n-grams that occur more than once, over all word characters. */
function duplicateNgramShare(words: readonly string[], n: number): number {
  if (words.length < n) return 0;
  const seen = new Set<string>();
  const covered = new Uint8Array(words.length);
  for (let i = 0; i + n <= words.length; i++) {
    const gram = words.slice(i, i + n).join(' ');
    if (seen.has(gram)) covered.fill(1, i, i + n);
    else seen.add(gram);
  }
  let chars = 0;
  for (let i = 0; i < words.length; i++) if (covered[i] === 1) chars += words[i]!.length;
  return chars / Math.max(1, wordChars(words));
}
