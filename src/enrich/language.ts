import type { Enricher } from './enricher.ts';
import { letter, wordRuns } from './word-runs.ts';

type Script = { name: string; from: number; to: number; language: string | null };

/** Unicode blocks of the scripts we name; a script used by one language names it outright. */
const scripts: readonly Script[] = [
  { name: 'Latin', from: 0x41, to: 0x24f, language: null },
  { name: 'Greek', from: 0x370, to: 0x3ff, language: 'el' },
  { name: 'Cyrillic', from: 0x400, to: 0x52f, language: null },
  { name: 'Armenian', from: 0x530, to: 0x58f, language: 'hy' },
  { name: 'Hebrew', from: 0x590, to: 0x5ff, language: 'he' },
  { name: 'Arabic', from: 0x600, to: 0x6ff, language: null },
  { name: 'Devanagari', from: 0x900, to: 0x97f, language: 'hi' },
  { name: 'Bengali', from: 0x980, to: 0x9ff, language: 'bn' },
  { name: 'Tamil', from: 0xb80, to: 0xbff, language: 'ta' },
  { name: 'Thai', from: 0xe00, to: 0xe7f, language: 'th' },
  { name: 'Georgian', from: 0x10a0, to: 0x10ff, language: 'ka' },
  { name: 'Ethiopic', from: 0x1200, to: 0x137f, language: 'am' },
  { name: 'Hangul', from: 0xac00, to: 0xd7af, language: 'ko' },
  { name: 'Hangul', from: 0x1100, to: 0x11ff, language: 'ko' },
  { name: 'Kana', from: 0x3040, to: 0x30ff, language: 'ja' },
  { name: 'Han', from: 0x4e00, to: 0x9fff, language: 'zh' },
  { name: 'Han', from: 0x3400, to: 0x4dbf, language: 'zh' },
];

/** Frequent short words of Latin-script languages (function words, which code rarely contains). */
const latinWords: Record<string, readonly string[]> = {
  en: [
    'the',
    'and',
    'is',
    'to',
    'of',
    'that',
    'it',
    'in',
    'this',
    'with',
    'for',
    'you',
    'are',
    'be',
    'not',
    'we',
    'can',
    'have',
    'was',
    'what',
  ],
  de: [
    'der',
    'die',
    'und',
    'das',
    'ist',
    'nicht',
    'ich',
    'es',
    'mit',
    'sie',
    'den',
    'ein',
    'eine',
    'zu',
    'auf',
    'auch',
    'wir',
    'sich',
    'dass',
    'wie',
  ],
  fr: [
    'le',
    'la',
    'les',
    'et',
    'est',
    'des',
    'une',
    'un',
    'que',
    'pas',
    'je',
    'il',
    'pour',
    'dans',
    'du',
    'ce',
    'nous',
    'vous',
    'sur',
    'avec',
  ],
  es: [
    'el',
    'la',
    'los',
    'las',
    'y',
    'es',
    'que',
    'de',
    'en',
    'un',
    'una',
    'por',
    'con',
    'para',
    'no',
    'se',
    'lo',
    'como',
    'pero',
    'del',
  ],
  pt: [
    'o',
    'os',
    'as',
    'e',
    'que',
    'de',
    'um',
    'uma',
    'para',
    'com',
    'não',
    'em',
    'se',
    'por',
    'mais',
    'do',
    'da',
    'isso',
    'está',
    'você',
  ],
  it: [
    'il',
    'lo',
    'la',
    'gli',
    'le',
    'e',
    'che',
    'di',
    'un',
    'una',
    'per',
    'non',
    'con',
    'sono',
    'del',
    'della',
    'questo',
    'anche',
    'come',
    'è',
  ],
  nl: [
    'de',
    'het',
    'een',
    'en',
    'is',
    'van',
    'dat',
    'niet',
    'ik',
    'je',
    'op',
    'met',
    'voor',
    'zijn',
    'maar',
    'ook',
    'wat',
    'dit',
    'er',
    'wij',
  ],
  pl: [
    'i',
    'w',
    'nie',
    'na',
    'się',
    'to',
    'jest',
    'że',
    'z',
    'do',
    'jak',
    'co',
    'ale',
    'tak',
    'czy',
    'jego',
    'dla',
    'są',
    'już',
    'może',
  ],
  tr: [
    've',
    'bir',
    'bu',
    'da',
    'de',
    'için',
    'ile',
    'ne',
    'çok',
    'gibi',
    'daha',
    'olarak',
    'ama',
    'var',
    'yok',
    'değil',
    'ben',
    'sen',
    'mi',
    'şey',
  ],
  sv: [
    'och',
    'att',
    'det',
    'som',
    'en',
    'är',
    'på',
    'för',
    'med',
    'inte',
    'jag',
    'har',
    'till',
    'av',
    'den',
    'om',
    'vi',
    'kan',
    'ett',
    'så',
  ],
  id: [
    'yang',
    'dan',
    'di',
    'ini',
    'itu',
    'dengan',
    'untuk',
    'tidak',
    'dari',
    'dalam',
    'akan',
    'ada',
    'saya',
    'kami',
    'juga',
    'bisa',
    'sudah',
    'atau',
    'pada',
    'karena',
  ],
};

const wordLanguages = new Map<string, string[]>();
for (const [language, words] of Object.entries(latinWords))
  for (const w of words) wordLanguages.set(w, [...(wordLanguages.get(w) ?? []), language]);

const sampleSize = 4000;

function scriptOf(code: number): Script | null {
  if (code < 0x41) return null;
  for (const s of scripts) if (code >= s.from && code <= s.to) return s;
  return null;
}

/** Counts letters per script in a sample of the text. */
function scriptCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  // ASCII letters are most of most messages: counted without the table or the map, added at the
  // end; the key goes in when the first one is met, as ties between scripts keep that order.
  let ascii = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 128) {
      if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) {
        if (ascii === 0 && !counts.has('Latin')) counts.set('Latin', 0);
        ascii++;
      }
      continue;
    }
    const s = scriptOf(code);
    if (s !== null) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  }
  if (ascii > 0) counts.set('Latin', counts.get('Latin')! + ascii);
  return counts;
}

function latinLanguage(text: string): { language: string; confidence: number } {
  const scores = new Map<string, number>();
  let words = 0;
  for (const w of wordRuns(text.toLowerCase(), letter, letter)) {
    words++;
    for (const language of wordLanguages.get(w) ?? []) scores.set(language, (scores.get(language) ?? 0) + 1);
  }
  const ranked = [...scores].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  // Code and logs have few function words: too few hits say nothing.
  if (best === undefined || best[1] < 3 || best[1] < words * 0.08) return { language: 'und', confidence: 0 };
  const margin = best[1] - (second?.[1] ?? 0);
  return { language: best[0], confidence: Math.min(1, margin / best[1] + 0.3) };
}

function cyrillicLanguage(text: string): string {
  if (/[іїєґ]/i.test(text)) return 'uk';
  if (/[ыэ]/i.test(text)) return 'ru';
  if (/ъ/i.test(text)) return 'bg';
  return 'ru';
}

function arabicLanguage(text: string): string {
  if (/[ٹڈڑںے]/.test(text)) return 'ur';
  if (/[پچژگ]/.test(text)) return 'fa';
  return 'ar';
}

/** The language of a text, by its script, and for Latin script by its function words. */
export function detectLanguage(input: string): { language: string; script: string; confidence: number } {
  const text = input.length > sampleSize ? input.slice(0, sampleSize) : input;
  const counts = scriptCounts(text);
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total === 0) return { language: 'und', script: 'none', confidence: 0 };
  // Japanese mixes Kana with Han: any real share of Kana makes it Japanese.
  const kana = counts.get('Kana') ?? 0;
  const [script, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  const share = n / total;
  if (kana > 0 && kana >= total * 0.05 && script !== 'Latin')
    return { language: 'ja', script: 'Kana', confidence: 0.9 };
  if (script === 'Latin') return { script, ...latinLanguage(text) };
  if (script === 'Cyrillic') return { language: cyrillicLanguage(text), script, confidence: 0.7 * share };
  if (script === 'Arabic') return { language: arabicLanguage(text), script, confidence: 0.7 * share };
  const language = scripts.find((s) => s.name === script)?.language ?? 'und';
  return { language, script, confidence: 0.9 * share };
}

export const languageEnricher: Enricher<'language'> = {
  name: 'language',
  version: 1,
  stage: 'ingest',
  facets: ['language'],
  enrich({ view }) {
    const value = detectLanguage(view.prose);
    return { value, labels: [{ facet: 'language', label: value.language, rank: 0 }] };
  },
};
