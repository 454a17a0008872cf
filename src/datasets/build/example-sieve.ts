import type { BuildOptions } from '../../config/datasets-config.ts';
import { AgentlogError } from '../../domain/errors.ts';
import type { RedactionCounts } from '../../enrich/text-redactor.ts';
import { exactKey } from '../dedup/exact-key.ts';
import { comparedText, minhash } from '../dedup/minhash.ts';
import type { ChatMessage, Example } from '../example.ts';
import type { TargetFormat } from '../formats/target-format.ts';
import { scoreExample, weakest } from '../quality/quality-score.ts';
import { findingsText, SecretGate } from '../secret-gate.ts';
import type { Measure, TokenMeter } from '../token-meter.ts';
import { checkExample } from '../validate/example-checks.ts';
import { severityOf } from '../validate/finding-codes.ts';
import { spoolRecord } from './spool-records.ts';

/** What is decided about one example before duplicates are looked for (plain data: it crosses threads). */
export type Judgement =
  | {
      kept: true;
      id: string;
      index: number;
      score: number;
      tokens: Measure;
      /** Holds context turns (weight 0). */
      withContext: boolean;
      /** The exact-duplicate key and the MinHash signature (null: no words to compare). */
      key: string;
      signature: Uint32Array | null;
      /** The output record and its provenance, as finished JSON text (spool-records.ts). */
      record: string;
      provenance: string;
      /** What the secret gate masked in it, by kind. */
      masked: RedactionCounts;
    }
  | { kept: false; id: string; index: number; reason: string; detail: string };

type Gated =
  | { ok: true; messages: ChatMessage[]; encoded: Record<string, unknown>; masked: RedactionCounts }
  | { ok: false; reason: string; detail: string };

/**
 * Judges each example as the build makes it, in order: the validation checks, the token budget,
 * the quality threshold, the target format, the secret gate. The first rule that fails is the
 * reason it is dropped. A kept example is written in its line format and read back through that
 * format's validator here; duplicates are looked for afterwards, over all examples (DuplicateFilter).
 */
export class ExampleSieve {
  private readonly options: BuildOptions;
  private readonly meter: TokenMeter;
  private readonly format: TargetFormat;
  private readonly gate: SecretGate;

  constructor(options: BuildOptions, meter: TokenMeter, format: TargetFormat) {
    this.options = options;
    this.meter = meter;
    this.format = format;
    this.gate = new SecretGate({ pii: options.pii });
  }

  /** Text written beside the examples (a session's title in the JSON document), through the gate. */
  maskText(text: string, into: RedactionCounts): string {
    return this.gate.maskText(text, into);
  }

  judge(example: Example): Judgement {
    const { id, index } = example;
    const drop = (reason: string, detail: string): Judgement => ({ kept: false, id, index, reason, detail });
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
    if (!gated.ok) return drop(gated.reason, gated.detail);
    const { messages, encoded } = gated;
    const spooled = spoolRecord(this.options.format, { example, encoded, messages, quality, tokens });
    return {
      kept: true,
      id,
      index,
      score: quality.score,
      tokens,
      withContext: messages.some((m) => m.role === 'assistant' && m.weight === 0),
      key: exactKey(messages),
      signature: minhash(comparedText(messages)),
      ...spooled,
      masked: gated.masked,
    };
  }

  /**
   * The example as written, through the secret gate: the rules run over the line's strings; when
   * they find something, the example is masked (or dropped, as configured) and written again.
   */
  private gated(example: Example): Gated {
    const first = this.encode(example, {});
    if (!first.ok) return first;
    const found = this.gate.find(first.encoded);
    if (Object.keys(found).length === 0) return first;
    if (this.options.secrets === 'drop')
      return {
        ok: false,
        reason: 'secret_found',
        detail: `The redaction rules find ${findingsText(found)}.`,
      };
    const masked = this.gate.mask(example.messages);
    const second = this.encode({ ...example, messages: masked.messages }, masked.findings);
    if (!second.ok) return second;
    const left = this.gate.find(second.encoded);
    if (Object.keys(left).length > 0)
      return {
        ok: false,
        reason: 'secret_found',
        detail: `Masking left ${findingsText(left)} in the written line.`,
      };
    return second;
  }

  private encode(example: Example, masked: RedactionCounts): Gated {
    const encoded = this.format.encode(example.messages);
    if (!encoded.ok) return { ok: false, reason: 'format_mapping', detail: encoded.reason };
    verify(example.id, encoded.value, this.format);
    return { ok: true, messages: example.messages, encoded: encoded.value, masked };
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
