import type { EnrichmentLabel } from '../domain/enrichment.ts';
import type { Enricher } from './enricher.ts';
import type { DomainRule } from './domain-rules.ts';
import { stem } from './word-stem.ts';

/** `key` (domain and the words of the term) counts repeats; made once here, not per message. */
type Hit = { domain: string; weight: number; key: string };

/**
 * The rules compiled for lookup, by word: the terms that are that word, and the phrases that
 * begin with it (one lookup per word of a message finds both).
 */
export type DomainIndex = Map<string, { words: Hit[]; phrases: { rest: string[]; hit: Hit }[] }>;

/** A domain joins the chain with at least this score, and at least this share of the best one. */
const minScore = 3;
const minShareOfBest = 0.45;
const maxChain = 3;
/** One word repeated many times (a log) counts this many times at most. */
const maxRepeats = 2;

export function compileDomainRules(rules: readonly DomainRule[]): DomainIndex {
  const index: DomainIndex = new Map();
  const entry = (word: string) => {
    let found = index.get(word);
    if (found === undefined) index.set(word, (found = { words: [], phrases: [] }));
    return found;
  };
  for (const rule of rules) {
    for (const term of rule.terms) {
      const parts = (term.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map(stem);
      if (parts.length === 0) continue;
      const hit = { domain: rule.domain, weight: rule.weight, key: `${rule.domain}\u0000${parts.join(' ')}` };
      if (parts.length === 1) entry(parts[0]!).words.push(hit);
      else entry(parts[0]!).phrases.push({ rest: parts.slice(1), hit });
    }
  }
  return index;
}

/** Scores per domain of a message's stemmed words (MessageView.stems). */
export function scoreDomains(index: DomainIndex, stems: readonly string[]): Map<string, number> {
  const scores = new Map<string, number>();
  const seen = new Map<string, number>();
  const add = (hit: Hit) => {
    const times = (seen.get(hit.key) ?? 0) + 1;
    seen.set(hit.key, times);
    if (times <= maxRepeats) scores.set(hit.domain, (scores.get(hit.domain) ?? 0) + hit.weight);
  };
  for (let i = 0; i < stems.length; i++) {
    const found = index.get(stems[i]!);
    if (found === undefined) continue;
    for (const hit of found.words) add(hit);
    for (const phrase of found.phrases) if (followedBy(stems, i + 1, phrase.rest)) add(phrase.hit);
  }
  return scores;
}

function followedBy(stems: readonly string[], from: number, rest: readonly string[]): boolean {
  for (let k = 0; k < rest.length; k++) if (stems[from + k] !== rest[k]) return false;
  return true;
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
