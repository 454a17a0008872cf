import type { BuildOptions } from '../../config/datasets-config.ts';
import { AgentlogError } from '../../domain/errors.ts';
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
  | {
      kept: true;
      messages: ChatMessage[];
      /** The example as its line format writes it, validated and through the secret gate. */
      encoded: Record<string, unknown>;
      quality: Quality;
      tokens: Measure;
      candidate: number;
    }
  | { kept: false; reason: string; detail: string };

type Gated =
  { ok: true; messages: ChatMessage[]; encoded: Record<string, unknown> } | { ok: false; verdict: Verdict };

/**
 * Judges each example as the build makes it, in order: the validation checks, the token budget,
 * the quality threshold, the target format, the secret gate, then exact and near duplicates. The
 * first rule that fails is the reason it is dropped. A kept example is written in its line
 * format and read back through that format's validator here, before anything is spooled; it
 * enters the near-duplicate index as candidate 0, 1, 2, … (clusters are settled once all are in).
 */
export class ExampleSieve {
  readonly masked: RedactionCounts = {};
  readonly near: NearDuplicateIndex;
  private readonly options: BuildOptions;
  private readonly meter: TokenMeter;
  private readonly format: TargetFormat;
  private readonly gate: SecretGate;
  private readonly exact = new Map<string, string>();

  constructor(options: BuildOptions, meter: TokenMeter, format: TargetFormat) {
    this.options = options;
    this.meter = meter;
    this.format = format;
    this.gate = new SecretGate({ pii: options.pii });
    this.near = new NearDuplicateIndex(options.nearDuplicateThreshold);
  }

  /** Text written beside the examples (a session's title in the JSON document), through the gate. */
  maskText(text: string): string {
    return this.gate.maskText(text, this.masked);
  }

  judge(example: Example): Verdict {
    const error = checkExample(example.messages, { declaredTools: null, toolNames: false }).find(
      (p) => severityOf(p) === 'error',
    );
    if (error !== undefined) return drop(error.code, error.message);
    const budget = this.options.maxExampleTokens;
    const tokens = this.meter.measure(example.messages, budget);
    if (tokens.total > budget)
      return drop(
        'over_token_budget',
        `${tokens.total} tokens; the budget is ${budget} (one turn is larger).`,
      );
    const quality = scoreExample(example.messages);
    if (quality.score < this.options.qualityThreshold)
      return drop(
        'low_quality',
        `Quality ${quality.score} < ${this.options.qualityThreshold} (weakest: ${weakest(quality.components) || 'none'}).`,
      );
    const gated = this.gated(example);
    if (!gated.ok) return gated.verdict;
    const { messages, encoded } = gated;
    const key = exactKey(messages);
    const same = this.exact.get(key);
    if (same !== undefined) return drop('exact_duplicate', `The same example as ${same}.`);
    this.exact.set(key, example.id);
    const { index } = this.near.add(minhash(comparedText(messages)));
    return { kept: true, messages, encoded, quality, tokens, candidate: index };
  }

  /**
   * The example as written, through the secret gate: the rules run over the line's strings; when
   * they find something, the example is masked (or dropped, as configured) and written again.
   */
  private gated(example: Example): Gated {
    const first = this.encode(example);
    if (!first.ok) return first;
    const found = this.gate.find(first.encoded);
    if (Object.keys(found).length === 0) return first;
    if (this.options.secrets === 'drop')
      return { ok: false, verdict: drop('secret_found', `The redaction rules find ${findingsText(found)}.`) };
    const masked = this.gate.mask(example.messages);
    const second = this.encode({ ...example, messages: masked.messages });
    if (!second.ok) return second;
    const left = this.gate.find(second.encoded);
    if (Object.keys(left).length > 0)
      return {
        ok: false,
        verdict: drop('secret_found', `Masking left ${findingsText(left)} in the written line.`),
      };
    for (const [kind, n] of Object.entries(masked.findings)) this.masked[kind] = (this.masked[kind] ?? 0) + n;
    return second;
  }

  private encode(example: Example): Gated {
    const encoded = this.format.encode(example.messages);
    if (!encoded.ok) return { ok: false, verdict: drop('format_mapping', encoded.reason) };
    verify(example.id, encoded.value, this.format);
    return { ok: true, messages: example.messages, encoded: encoded.value };
  }
}

/**
 * Reads a written line back through its format's validator. The example passed the same checks
 * before it was written, so a failure here is a bug in a format: the build stops, publishing nothing.
 */
function verify(id: string, value: Record<string, unknown>, format: TargetFormat): void {
  const decoded = format.decode(value);
  const problems = [...decoded.problems];
  if (decoded.messages !== null)
    problems.push(
      ...checkExample(decoded.messages, { declaredTools: decoded.declaredTools, toolNames: true }),
    );
  const error = problems.find((p) => severityOf(p) === 'error');
  if (error !== undefined)
    throw new AgentlogError(
      'INTERNAL',
      `Example ${id} failed validation as written (${error.code}: ${error.message}); nothing was published.`,
      {
        hint: 'This is a bug in agentlog: report it with the training file, or drop the session from the file.',
      },
    );
}

function drop(reason: string, detail: string): Verdict {
  return { kept: false, reason, detail };
}
