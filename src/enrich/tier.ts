import type { AceTier } from '../domain/enrichment.ts';
import type { Enricher } from './enricher.ts';
import type { MessageView } from './message-view.ts';
import { stem } from './word-stem.ts';

/**
 * ACE tier: is the message about how the system should be (Architectural), about working
 * together (Collaborative: asking, proposing, reviewing, handing over), or about doing the work
 * (Execution: commands, edits, tool calls and their output)?
 */
const cues: Record<AceTier, readonly string[]> = {
  architectural: [
    'architecture',
    'architectural',
    'design',
    'structure',
    'layer',
    'abstraction',
    'interface',
    'boundary',
    'approach',
    'strategy',
    'tradeoff',
    'trade',
    'decision',
    'decide',
    'principle',
    'long',
    'scalable',
    'extensible',
    'pattern',
    'model',
    'responsibility',
    'separation',
    'coupling',
    'proposal',
    'rfc',
    'contract',
    'schema',
    'topology',
  ],
  collaborative: [
    'we',
    'us',
    'let',
    'could',
    'can',
    'would',
    'please',
    'thank',
    'thanks',
    'review',
    'feedback',
    'agree',
    'discuss',
    'question',
    'think',
    'suggest',
    'opinion',
    'coordinate',
    'handoff',
    'delegate',
    'team',
    'clarify',
    'confirm',
    'approve',
    'prefer',
    'you',
    'your',
    'should',
    'shall',
    'ok',
    'sound',
    'help',
  ],
  execution: [
    'run',
    'ran',
    'execute',
    'install',
    'fix',
    'implement',
    'add',
    'update',
    'edit',
    'change',
    'create',
    'delete',
    'remove',
    'rename',
    'move',
    'commit',
    'push',
    'build',
    'compile',
    'npm',
    'npx',
    'git',
    'command',
    'file',
    'line',
    'output',
    'exit',
    'done',
    'now',
    'write',
    'patch',
    'test',
  ],
};

const stemmed = new Map<string, AceTier>();
for (const tier of ['execution', 'collaborative', 'architectural'] as const)
  for (const word of cues[tier]) stemmed.set(stem(word), tier);

/** Scores of each tier for a message; structure (tool calls, code, questions) counts beside words. */
export function tierScores(view: MessageView): Record<AceTier, number> {
  const score: Record<AceTier, number> = { architectural: 0, collaborative: 0, execution: 0 };
  const stems = view.stems;
  for (let i = 0; i < stems.length && i < 2000; i++) {
    const tier = stemmed.get(stems[i]!);
    if (tier !== undefined) score[tier] += 1;
  }
  score.execution += 4 * view.calls.length + 4 * view.results.length;
  if (view.prose.includes('```')) score.execution += 2;
  const questions = (view.prose.match(/\?(?:\s|$)/g) ?? []).length;
  score.collaborative += Math.min(questions, 3) * 1.5;
  // Architecture words are rarer than the others: one of them says more.
  score.architectural *= 1.8;
  return score;
}

export function aceTier(view: MessageView): AceTier {
  if (view.kind === 'tool_result' || view.role === 'tool') return 'execution';
  const s = tierScores(view);
  if (s.architectural === 0 && s.collaborative === 0 && s.execution === 0)
    return view.role === 'user' ? 'collaborative' : 'execution';
  if (s.architectural >= s.collaborative && s.architectural >= s.execution) return 'architectural';
  return s.collaborative > s.execution ? 'collaborative' : 'execution';
}

export const tierEnricher: Enricher<'tier'> = {
  name: 'tier',
  version: 1,
  stage: 'ingest',
  facets: ['tier'],
  enrich({ view }) {
    const tier = aceTier(view);
    return { value: { tier }, labels: [{ facet: 'tier', label: tier, rank: 0 }] };
  },
};
