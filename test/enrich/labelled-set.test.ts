import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { domainCategories } from '../../src/domain/enrichment.ts';
import { builtinDomainRules } from '../../src/enrich/domain-rules.ts';
import { compileDomainRules, domainChain, scoreDomains } from '../../src/enrich/domain.ts';
import { MessageView } from '../../src/enrich/message-view.ts';
import { aceTier } from '../../src/enrich/tier.ts';
import { projectRoot } from '../support/shared-fixtures.ts';

type Labelled = { role: 'user' | 'assistant'; text: string; domain: string; tier: string };

const labelled: Labelled[] = readFileSync(
  join(projectRoot, 'test/fixtures/enrich/labelled-messages.jsonl'),
  'utf8',
)
  .split('\n')
  .filter((line) => line.length > 0)
  .map((line) => JSON.parse(line) as Labelled);

const index = compileDomainRules(builtinDomainRules);

function predict(m: Labelled) {
  const view = new MessageView({
    role: m.role,
    kind: 'message',
    blocks: [{ type: 'text', text: m.text }],
    text: m.text,
  });
  return { domain: domainChain(scoreDomains(index, view.stems))[0]!, tier: aceTier(view) };
}

type Score = { precision: number; recall: number; support: number };

/** Precision and recall of each label, the prediction being the first domain of the chain. */
function scores(
  pairs: { truth: string; predicted: string }[],
  labels: readonly string[],
): Map<string, Score> {
  const out = new Map<string, Score>();
  for (const label of labels) {
    const tp = pairs.filter((p) => p.truth === label && p.predicted === label).length;
    const predicted = pairs.filter((p) => p.predicted === label).length;
    const support = pairs.filter((p) => p.truth === label).length;
    out.set(label, {
      precision: predicted === 0 ? 0 : tp / predicted,
      recall: support === 0 ? 0 : tp / support,
      support,
    });
  }
  return out;
}

function report(title: string, table: Map<string, Score>): string {
  const rows = [...table].map(
    ([label, s]) =>
      `  ${label.padEnd(22)} precision ${s.precision.toFixed(2)}  recall ${s.recall.toFixed(2)}  (${s.support} messages)`,
  );
  return `${title}\n${rows.join('\n')}`;
}

/**
 * The labelled set: 132 messages written for this test (12 per domain), each with its domain
 * and ACE tier. The rules were written before the set and not tuned on it; the floors sit a little
 * under what the rules reach, so a change that makes classification worse fails here.
 */
describe('the labelled set', () => {
  const predictions = labelled.map((m) => ({ m, p: predict(m) }));

  it('has every domain category', () => {
    expect(new Set(labelled.map((m) => m.domain))).toEqual(new Set(domainCategories));
  });

  it('classifies domains with per-category precision and recall above the floors', () => {
    const table = scores(
      predictions.map(({ m, p }) => ({ truth: m.domain, predicted: p.domain })),
      domainCategories,
    );
    console.log(report('domain (first of the chain)', table));
    const accuracy = predictions.filter(({ m, p }) => m.domain === p.domain).length / labelled.length;
    console.log(`  accuracy ${accuracy.toFixed(2)}`);
    expect(accuracy).toBeGreaterThanOrEqual(DOMAIN_ACCURACY_FLOOR);
    for (const [label, s] of table) {
      expect(s.precision, `${label} precision`).toBeGreaterThanOrEqual(PRECISION_FLOOR);
      expect(s.recall, `${label} recall`).toBeGreaterThanOrEqual(RECALL_FLOOR);
    }
  });

  it('tells the ACE tiers apart', () => {
    const table = scores(
      predictions.map(({ m, p }) => ({ truth: m.tier, predicted: p.tier })),
      ['architectural', 'collaborative', 'execution'],
    );
    console.log(report('ACE tier', table));
    const accuracy = predictions.filter(({ m, p }) => m.tier === p.tier).length / labelled.length;
    console.log(`  accuracy ${accuracy.toFixed(2)}`);
    expect(accuracy).toBeGreaterThanOrEqual(TIER_ACCURACY_FLOOR);
  });
});

// Measured when the set was added: domain accuracy 0.92, the lowest precision 0.67 (`other`,
// which takes what no rule claims), the lowest recall 0.83; tier accuracy 0.76. The rules and the
// set have one author, so real transcripts will score lower: these floors guard against
// regressions, they do not promise accuracy on other data.
const DOMAIN_ACCURACY_FLOOR = 0.85;
const PRECISION_FLOOR = 0.6;
const RECALL_FLOOR = 0.75;
const TIER_ACCURACY_FLOOR = 0.7;
