import type { SessionJudge } from './judge-sessions.ts';
import type { Settlement } from './settle-examples.ts';

export type ExampleTally = {
  examples: number;
  train: number;
  validation: number;
  /** Sessions with at least one example written. */
  used: number;
  quality: { threshold: number; count: number; average: number; min: number; max: number };
  distribution: {
    source: Record<string, number>;
    agent: Record<string, number>;
    domain: Record<string, number>;
    tier: Record<string, number>;
  };
  /** Sorted by reason, so manifests list them the same way every time. */
  droppedByReason: Record<string, number>;
};

const round = (n: number) => Math.round(n * 10_000) / 10_000;

function sorted(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Counts of what will be written, known before the second pass (each session's count is filled in too). */
export function tallyExamples(judge: SessionJudge, settlement: Settlement): ExampleTally {
  const by = { source: new Map<string, number>(), agent: new Map(), domain: new Map(), tier: new Map() };
  const bump = (map: Map<string, number>, key: string | null) =>
    map.set(key ?? 'unknown', (map.get(key ?? 'unknown') ?? 0) + 1);
  let train = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < judge.ids.length; k++) {
    if (settlement.dropped[k] === 1) continue;
    if (settlement.split[k] === 'train') train++;
    const score = judge.scores[k]!;
    sum += score;
    min = Math.min(min, score);
    max = Math.max(max, score);
    const session = judge.sessions[judge.sessionOf[k]!]!;
    session.examples++;
    bump(by.source, session.source);
    bump(by.agent, session.agent);
    bump(by.domain, session.domain);
    bump(by.tier, session.tier);
  }
  const examples = judge.ids.length - settlement.dropped.reduce((n, d) => n + d, 0);
  return {
    examples,
    train,
    validation: examples - train,
    used: judge.sessions.filter((s) => s.examples > 0).length,
    quality: {
      threshold: judge.threshold,
      count: examples,
      average: examples === 0 ? 0 : round(sum / examples),
      min: examples === 0 ? 0 : min,
      max: examples === 0 ? 0 : max,
    },
    distribution: {
      source: sorted(by.source),
      agent: sorted(by.agent),
      domain: sorted(by.domain),
      tier: sorted(by.tier),
    },
    droppedByReason: sorted(judge.droppedByReason),
  };
}
