import type { BuildOptions } from '../../config/datasets-config.ts';
import type { RedactionCounts } from '../../enrich/text-redactor.ts';
import { exactKey } from '../dedup/exact-key.ts';
import { comparedText, minhash } from '../dedup/minhash.ts';
import { NearDuplicateIndex } from '../dedup/near-duplicates.ts';
import type { ChatMessage, Example } from '../example.ts';
import type { TargetFormat } from '../formats/target-format.ts';
import { scoreExample, weakest, type Quality } from '../quality/quality-score.ts';
import { findingsText, SecretGate } from '../secret-gate.ts';
import type { Measure, TokenMeter } from '../token-meter.ts';
import { checkExample } from '../validate/example-checks.ts';
import { severityOf } from '../validate/finding-codes.ts';

export type Verdict =
  | { kept: true; messages: ChatMessage[]; quality: Quality; tokens: Measure; candidate: number }
  | { kept: false; reason: string; detail: string };

/**
 * Judges each example as the build makes it, in order: the secret gate, the validation checks,
 * the token budget, the target format, the quality threshold, then exact and near duplicates.
 * The first rule that fails is the reason it is dropped. Kept examples enter the near-duplicate
 * index as candidates 0, 1, 2, … (clusters are settled once every example is in).
 */
export class ExampleSieve {
  readonly masked: RedactionCounts = {};
  readonly near: NearDuplicateIndex;
  private readonly options: BuildOptions;
  private readonly meter: TokenMeter;
  private readonly format: TargetFormat | null;
  readonly gate: SecretGate;
  private readonly exact = new Map<string, string>();

  constructor(options: BuildOptions, meter: TokenMeter, format: TargetFormat | null) {
    this.options = options;
    this.meter = meter;
    this.format = format;
    this.gate = new SecretGate({ pii: options.pii });
    this.near = new NearDuplicateIndex(options.nearDuplicateThreshold);
  }

  judge(example: Example): Verdict {
    const gated = this.gate.mask(example.messages);
    const kinds = Object.keys(gated.findings);
    if (kinds.length > 0 && this.options.secrets === 'drop')
      return drop('secret_found', `The redaction rules find ${findingsText(gated.findings)}.`);
    for (const [kind, n] of Object.entries(gated.findings)) this.masked[kind] = (this.masked[kind] ?? 0) + n;
    const messages = gated.messages;
    const error = checkExample(messages, { declaredTools: null, toolNames: false }).find(
      (p) => severityOf(p) === 'error',
    );
    if (error !== undefined) return drop(error.code, error.message);
    const budget = this.options.maxExampleTokens;
    const tokens = this.meter.measure(messages, budget);
    if (tokens.total > budget)
      return drop(
        'over_token_budget',
        `${tokens.total} tokens; the budget is ${budget} (one turn is larger).`,
      );
    if (this.format !== null) {
      const encoded = this.format.encode(messages);
      if (!encoded.ok) return drop('format_mapping', encoded.reason);
      // Secrets the gate could not see in the decoded text, e.g. across a JSON-encoded argument string.
      const written = this.gate.find(encoded.value);
      if (Object.keys(written).length > 0)
        return drop('secret_found', `As written, the redaction rules find ${findingsText(written)}.`);
    }
    const quality = scoreExample(messages);
    if (quality.score < this.options.qualityThreshold)
      return drop(
        'low_quality',
        `Quality ${quality.score} < ${this.options.qualityThreshold} (weakest: ${weakest(quality.components) || 'none'}).`,
      );
    const key = exactKey(messages);
    const same = this.exact.get(key);
    if (same !== undefined) return drop('exact_duplicate', `The same example as ${same}.`);
    this.exact.set(key, example.id);
    const { index } = this.near.add(minhash(comparedText(messages)));
    return { kept: true, messages, quality, tokens, candidate: index };
  }
}

function drop(reason: string, detail: string): Verdict {
  return { kept: false, reason, detail };
}
