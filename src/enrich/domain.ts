import type { EnrichmentLabel } from '../domain/enrichment.ts';
import type { Enricher } from './enricher.ts';
import type { DomainRule } from './domain-rules.ts';
import { stem } from './word-stem.ts';

type Hit = { domain: string; weight: number };

/** The rules compiled for lookup: single words, and phrases keyed by their first word. */
export type DomainIndex = {
  words: Map<string, Hit[]>;
  phrases: Map<string, { rest: string[]; hit: Hit }[]>;
};

/** A domain joins the chain with at least this score, and at least this share of the best one. */
const minScore = 3;
const minShareOfBest = 0.45;
const maxChain = 3;
/** One word repeated many times (a log) counts this many times at most. */
const maxRepeats = 2;

export function compileDomainRules(rules: readonly DomainRule[]): DomainIndex {
  const index: DomainIndex = { words: new Map(), phrases: new Map() };
  for (const rule of rules) {
    for (const term of rule.terms) {
      const parts = (term.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map(stem);
      const hit = { domain: rule.domain, weight: rule.weight };
      if (parts.length === 0) continue;
      if (parts.length === 1) {
        push(index.words, parts[0]!, hit);
        continue;
      }
      push(index.phrases, parts[0]!, { rest: parts.slice(1), hit });
    }
  }
  return index;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Scores per domain of a message's stemmed words (MessageView.stems). */
export function scoreDomains(index: DomainIndex, stems: readonly string[]): Map<string, number> {
  const scores = new Map<string, number>();
  const seen = new Map<string, number>();
  const add = (key: string, hit: Hit) => {
    const times = (seen.get(key) ?? 0) + 1;
    seen.set(key, times);
    if (times <= maxRepeats) scores.set(hit.domain, (scores.get(hit.domain) ?? 0) + hit.weight);
  };
  stems.forEach((s, i) => {
    for (const hit of index.words.get(s) ?? []) add(`${hit.domain}\u0000${s}`, hit);
    for (const phrase of index.phrases.get(s) ?? []) {
      if (phrase.rest.every((p, k) => stems[i + 1 + k] === p))
        add(`${phrase.hit.domain}\u0000${s} ${phrase.rest.join(' ')}`, phrase.hit);
    }
  });
  return scores;
}

/** The chain: domains that scored enough, best first; `other` when none did. */
export function domainChain(scores: ReadonlyMap<string, number>): string[] {
  const ranked = [...scores]
    .filter(([, s]) => s >= minScore)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const best = ranked[0]?.[1] ?? 0;
  const chain = ranked
    .filter(([, s]) => s >= best * minShareOfBest)
    .slice(0, maxChain)
    .map(([d]) => d);
  return chain.length > 0 ? chain : ['other'];
}

export function createDomainEnricher(index: DomainIndex): Enricher<'domain'> {
  return {
    name: 'domain',
    version: 1,
    stage: 'ingest',
    facets: ['domain'],
    enrich({ view }) {
      const scores = scoreDomains(index, view.stems);
      const chain = domainChain(scores);
      const labels: EnrichmentLabel[] = chain.map((label, rank) => ({ facet: 'domain', label, rank }));
      return { value: { chain, scores: Object.fromEntries(scores) }, labels };
    },
  };
}
