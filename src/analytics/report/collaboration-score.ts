import type { CollaborationComponent, CollaborationScore, Share } from './report-contract.ts';

/** Every component weighs the same: 20 of the 100 points. */
const pointsEach = 20;

/** What the score is computed from: plain counts, so it can be checked by hand. */
export type ScoreInputs = {
  messages: number;
  /** Messages per speaker (a name, else the role). */
  speakers: Share[];
  /** Distinct specific domains seen (not `other`), and how many the rules know. */
  domainsSeen: number;
  domainsKnown: number;
  /** Days with at least one message, and the days from the first to the last one (inclusive). */
  activeDays: number;
  spanDays: number;
  enriched: number;
  /** Messages whose SHL tags are complete: a status, a tier and a specific domain chain. */
  completelyTagged: number;
};

/**
 * The collaboration score, 0-100, from five components of 20 points each, each a value 0-1:
 *
 * 1. speakerDiversity: how evenly messages spread over speakers, the Shannon entropy of the
 *    speaker shares divided by its maximum (ln of the number of speakers); 0 with one speaker.
 * 2. domainCoverage: specific domains seen (enrichment's domain chains, `other` excluded) out of
 *    the domains the rules know.
 * 3. messageConsistency: days with messages out of the days from the first message to the last.
 * 4. metadataEnrichment: enriched messages out of all messages.
 * 5. tagCompleteness: messages whose SHL tags are complete (status, tier and a domain other than
 *    `other`) out of all messages.
 */
export function collaborationScore(inputs: ScoreInputs): CollaborationScore {
  const { messages } = inputs;
  const values: Record<CollaborationComponent, { value: number; detail: string }> = {
    speakerDiversity: speakerDiversity(inputs.speakers),
    domainCoverage: {
      value: ratio(inputs.domainsSeen, inputs.domainsKnown),
      detail: `${inputs.domainsSeen} of ${inputs.domainsKnown} domains seen`,
    },
    messageConsistency: {
      value: ratio(inputs.activeDays, inputs.spanDays),
      detail: `messages on ${inputs.activeDays} of ${inputs.spanDays} days`,
    },
    metadataEnrichment: {
      value: ratio(inputs.enriched, messages),
      detail: `${inputs.enriched} of ${messages} messages enriched`,
    },
    tagCompleteness: {
      value: ratio(inputs.completelyTagged, messages),
      detail: `${inputs.completelyTagged} of ${messages} messages completely tagged`,
    },
  };
  const components = Object.entries(values).map(([name, c]) => ({
    name: name as CollaborationComponent,
    value: round(c.value, 4),
    points: round(c.value * pointsEach, 2),
    detail: c.detail,
  }));
  return {
    score: round(
      components.reduce((sum, c) => sum + c.value * pointsEach, 0),
      1,
    ),
    components,
  };
}

function speakerDiversity(speakers: Share[]): { value: number; detail: string } {
  const total = speakers.reduce((sum, s) => sum + s.messages, 0);
  const present = speakers.filter((s) => s.messages > 0);
  if (present.length < 2 || total === 0)
    return { value: 0, detail: `${present.length} speaker${present.length === 1 ? '' : 's'}` };
  let entropy = 0;
  for (const s of present) {
    const p = s.messages / total;
    entropy -= p * Math.log(p);
  }
  const evenness = entropy / Math.log(present.length);
  return { value: evenness, detail: `${present.length} speakers, evenness ${round(evenness, 2)}` };
}

function ratio(part: number, whole: number): number {
  return whole <= 0 ? 0 : Math.min(1, Math.max(0, part / whole));
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
