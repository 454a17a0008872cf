import type { TermCount } from '../domain/enrichment.ts';
import type { Enricher } from './enricher.ts';
import type { MessageView } from './message-view.ts';
import { stopWords } from './stop-words.ts';
import { joiner, letter, number, wordRuns } from './word-runs.ts';

/** Distinct terms kept per message for the document frequencies (the most frequent ones). */
const maxTerms = 200;
const minLength = 3;
const maxLength = 32;

/** Code blocks, inline code, URLs, paths and placeholders say how, not what: taken out first. */
const noise =
  /```[\s\S]*?(?:```|$)|`[^`\n]*`|\bhttps?:\/\/\S+|(?:~|\.{1,2})?\/[\w.\-/]+|\[REDACTED:[a-z0-9_]+\]/g;
const spacelessScripts = /[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]/;

/** A word that is an identifier, a number, a hash or an id rather than a term. */
function isNoise(word: string): boolean {
  if (word.length < minLength || word.length > maxLength) return true;
  if (stopWords.has(word)) return true;
  // Digits inside a word: hashes, ids, versions, sizes (`a1b2c3`, `v2`, `100ms`).
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** Words of scripts written without spaces, cut by the platform's word segmenter. */
function segmentedWords(text: string): string[] {
  const out: string[] = [];
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
  for (const part of segmenter.segment(text)) if (part.isWordLike) out.push(part.segment.toLowerCase());
  return out;
}

/** A message's terms with their counts: lower-case words, stop-words and code noise removed. */
export function extractTerms(view: MessageView): TermCount[] {
  const prose = view.prose.length > 0 ? view.prose : view.full;
  const text = prose.replace(noise, ' ');
  const spaceless = spacelessScripts.test(text);
  const words = spaceless
    ? segmentedWords(text)
    : wordRuns(text.toLowerCase(), letter, letter | number | joiner);
  const counts = new Map<string, number>();
  for (const raw of words) {
    const last = raw.charCodeAt(raw.length - 1);
    const word = last === 39 || last === 45 || last === 95 ? raw.replace(/['_-]+$/, '') : raw;
    // Short words of spaceless scripts are real words (a Chinese term is often two characters).
    if (spaceless && spacelessScripts.test(word) ? stopWords.has(word) : isNoise(word)) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const terms = [...counts].map(([term, count]) => ({ term, count }));
  if (terms.length <= maxTerms) return terms;
  return terms.sort((a, b) => b.count - a.count || (a.term < b.term ? -1 : 1)).slice(0, maxTerms);
}

/** Counts a message's terms; the store adds them to the project's document frequencies. */
export const termsEnricher: Enricher<'terms'> = {
  name: 'terms',
  version: 1,
  stage: 'ingest',
  facets: [],
  enrich({ view }) {
    const terms = extractTerms(view);
    let words = 0;
    for (const t of terms) words += t.count;
    return { value: { distinct: terms.length, words }, terms };
  },
};
