import type { Store, TermQuery } from '../storage/ports.ts';
import type { Corpus, Enricher } from './enricher.ts';
import { extractTerms } from './terms.ts';

export type Keyword = { term: string; score: number };

const keywordsPerMessage = 8;

/**
 * TF-IDF weight: how often the term occurs here, times how rare it is in the project. A term in
 * every document weighs nearly nothing; one never counted weighs most.
 */
export function tfIdf(count: number, documentFrequency: number, documents: number): number {
  return count * Math.log((1 + documents) / (1 + documentFrequency));
}

function ranked(scores: Keyword[], limit: number): Keyword[] {
  return scores
    .filter((k) => k.score > 0)
    .sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : 1))
    .slice(0, limit)
    .map((k) => ({ term: k.term, score: Math.round(k.score * 1000) / 1000 }));
}

/** Keywords of one message against the corpus (deferred: the corpus must be loaded first). */
export const keywordsEnricher: Enricher<'keywords'> = {
  name: 'keywords',
  version: 1,
  stage: 'deferred',
  facets: [],
  enrich({ view, corpus }) {
    const known: Corpus = corpus ?? { documents: 0, frequencies: new Map() };
    const scores = extractTerms(view).map((t) => ({
      term: t.term,
      score: tfIdf(t.count, known.frequencies.get(t.term) ?? 0, known.documents),
    }));
    return { value: { keywords: ranked(scores, keywordsPerMessage) } };
  },
};

/**
 * The keywords of a selection of messages (a session, a time range, a project): each term's
 * summed count in the selection, weighted by its rarity in the whole project.
 */
export async function topKeywords(
  store: Store,
  query: TermQuery & { keywords?: number },
): Promise<Keyword[]> {
  const totals = await store.termTotals({ ...query, limit: Math.max(200, (query.keywords ?? 20) * 10) });
  const scores = totals.terms.map((t) => ({
    term: t.term,
    score: tfIdf(t.count, t.documents, totals.documents),
  }));
  return ranked(scores, query.keywords ?? 20);
}
