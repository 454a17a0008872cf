import type { BuildOptions } from '../../config/datasets-config.ts';
import type { BuildFile, TrainingFile } from '../../domain/training-file.ts';
import type { BuildSummary } from '../dataset-contract.ts';
import { targetFormats } from '../formats/formats.ts';
import type { SessionJudge } from './judge-sessions.ts';
import type { Settlement } from './settle-examples.ts';
import type { ExampleTally } from './tally-examples.ts';
import { Samples } from '../validate/samples.ts';

export type SummaryParts = {
  digest: string;
  file: TrainingFile;
  options: BuildOptions;
  judge: SessionJudge;
  settlement: Settlement;
  tally: ExampleTally;
  files: (BuildFile & { path?: string })[];
  sessionsTotal: number;
};

/**
 * The build summary (`dataset build --json`, `POST /v1/training-files/:id/builds`), but for the
 * version number, which the store gives when the build is recorded (with this summary).
 */
export function summaryOf(parts: SummaryParts): Omit<BuildSummary, 'version'> {
  const { file, options, judge, settlement, tally } = parts;
  const written = writtenTokens(judge, settlement);
  const dropped = Object.values(tally.droppedByReason).reduce((a, b) => a + b, 0);
  return {
    file: { id: file.id, name: file.name },
    format: options.format,
    digest: parts.digest,
    examples: tally.examples,
    candidates: judge.candidates,
    sessions: { total: parts.sessionsTotal, used: tally.used, missing: judge.missing, empty: judge.empty },
    dropped: { total: dropped, byReason: tally.droppedByReason, list: judge.droppedList },
    badInput: { ...judge.badInput },
    excludedMessages: judge.excluded,
    masked: Object.fromEntries(Object.entries(judge.masked).sort(([a], [b]) => (a < b ? -1 : 1))),
    quality: tally.quality,
    tokens: {
      total: written.tokens.sum(),
      exact: written.exact,
      estimated: written.tokens.count - written.exact,
      perExample: written.tokens.summary(),
    },
    split: { train: tally.train, validation: tally.validation, groups: settlement.groups },
    nearDuplicateClusters: settlement.clusters,
    distribution: tally.distribution,
    files: parts.files,
    warnings: warningsOf(options, tally, written),
  };
}

/** Token counts of the examples written, and how many hold context turns. */
function writtenTokens(judge: SessionJudge, settlement: Settlement) {
  const tokens = new Samples();
  let exact = 0;
  let contextTurns = 0;
  for (let k = 0; k < judge.ids.length; k++) {
    if (settlement.dropped[k] === 1) continue;
    tokens.add(judge.tokens[k]!);
    if (judge.exactTokens[k]) exact++;
    if (judge.withContext[k]) contextTurns++;
  }
  return { tokens, exact, contextTurns };
}

function warningsOf(options: BuildOptions, tally: ExampleTally, written: { contextTurns: number }): string[] {
  const warnings: string[] = [];
  const format =
    options.format === 'parquet' || options.format === 'json' ? null : targetFormats[options.format];
  if (format !== null && !format.weights && written.contextTurns > 0)
    warnings.push(
      `${written.contextTurns} examples hold context turns (weight 0) that ${format.name} cannot mark: they are trained too` +
        (format.name === 'sharegpt' ? ' unless LLaMA-Factory runs with mask_history: true.' : '.'),
    );
  if (options.validationFraction > 0 && tally.validation === 0 && tally.examples > 0)
    warnings.push(
      'No group fell in the validation split: add sessions, or change the seed or validationFraction.',
    );
  return warnings;
}
