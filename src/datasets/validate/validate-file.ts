import { stat } from 'node:fs/promises';
import { AgentlogError } from '../../domain/errors.ts';
import { chunksOf, readLines } from '../../ingest/line-reader.ts';
import type { ValidationReport } from '../dataset-contract.ts';
import { exactKey } from '../dedup/exact-key.ts';
import { comparedText, minhash } from '../dedup/minhash.ts';
import { NearDuplicateIndex } from '../dedup/near-duplicates.ts';
import type { ChatMessage } from '../example.ts';
import { targetFormats } from '../formats/formats.ts';
import type { JsonlTarget, TargetFormat } from '../formats/target-format.ts';
import { findingsText, SecretGate } from '../secret-gate.ts';
import { lazyCountTokens, TokenMeter, tokenizerName } from '../token-meter.ts';
import { checkExample } from './example-checks.ts';
import { severityOf, type Finding, type Problem } from './finding-codes.ts';
import { billingEstimate, Samples } from './samples.ts';

export type FileValidationOptions = {
  format: JsonlTarget;
  maxExampleTokens: number;
  minExamples: number;
  nearDuplicateThreshold: number;
  /** Count every example exactly (default); else only those that might be over the budget. */
  exactTokens: boolean;
  pii: boolean;
};

export const defaultFileValidation: Omit<FileValidationOptions, 'format'> = {
  maxExampleTokens: 65_536,
  minExamples: 10,
  nearDuplicateThreshold: 0.8,
  exactTokens: true,
  pii: false,
};

/** Findings listed in a report at most; the counts cover all of them. */
const listed = 1000;
/** Tool output above this share of an example's tokens is worth a warning (it trains nothing). */
const toolShareWarning = 0.7;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Validates a JSONL training file of any origin, line by line without holding it: encoding and
 * JSON, the format's own rules, the checks every format shares (content, tool linkage), the
 * token budget, secrets, exact and near duplicates, and the minimum example count; with the
 * OpenAI cookbook's statistics, its percentiles computed properly.
 */
export async function validateFile(path: string, options: FileValidationOptions): Promise<ValidationReport> {
  const info = await stat(path).catch(() => null);
  if (info === null || !info.isFile())
    throw new AgentlogError('NOT_FOUND', `No file at ${path}.`, { hint: 'Give the path of a .jsonl file.' });
  const run = new FileRun(options, new TokenMeter(lazyCountTokens(), options.exactTokens));
  const end = await readLines(
    chunksOf(path, 0),
    { offset: 0, lines: 0 },
    ({ bytes, line }) => run.line(bytes, line),
    async () => {},
  );
  if (end.tail !== null) run.line(end.tail.bytes, end.tail.line);
  return run.report();
}

class FileRun {
  private readonly options: FileValidationOptions;
  private readonly format: TargetFormat;
  private readonly meter: TokenMeter;
  private readonly gate: SecretGate;
  private readonly errors: Finding[] = [];
  private readonly warnings: Finding[] = [];
  private errorCount = 0;
  private warningCount = 0;
  private lines = 0;
  private examples = 0;
  private examplesWithErrors = 0;
  private readonly messageCounts = new Samples();
  private readonly totalTokens = new Samples();
  private readonly assistantTokens = new Samples();
  private overBudget = 0;
  private exactCounts = 0;
  private missingSystem = 0;
  private missingUser = 0;
  private exactDuplicates = 0;
  private nearDuplicates = 0;
  private cappedTokens = 0;
  private readonly seen = new Map<string, number>();
  private readonly near: NearDuplicateIndex;
  /** The line of each example in the near-duplicate index. */
  private readonly nearLines: number[] = [];

  constructor(options: FileValidationOptions, meter: TokenMeter) {
    this.options = options;
    this.format = targetFormats[options.format];
    this.meter = meter;
    this.gate = new SecretGate({ pii: options.pii });
    this.near = new NearDuplicateIndex(options.nearDuplicateThreshold);
  }

  line(bytes: Buffer, line: number): void {
    this.lines = line;
    let body = bytes;
    if (line === 1 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
      this.add(line, { code: 'bom', message: 'The file starts with a byte order mark; remove it.' });
      body = body.subarray(3);
    }
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      this.add(line, { code: 'invalid_utf8', message: 'The line is not valid UTF-8.' });
      return;
    }
    if (text.trim().length === 0) {
      this.add(line, { code: 'blank_line', message: 'Blank line: every line must hold one JSON object.' });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.add(line, { code: 'invalid_json', message: `Not JSON: ${(error as Error).message}.` });
      return;
    }
    this.example(value, line);
  }

  private example(value: unknown, line: number): void {
    this.examples++;
    const before = this.errorCount;
    const decoded = this.format.decode(value);
    for (const p of decoded.problems) this.add(line, p);
    const messages = decoded.messages;
    if (messages !== null) {
      const problems = checkExample(messages, { declaredTools: decoded.declaredTools, toolNames: true });
      for (const p of problems) {
        if (p.code === 'no_system_message') this.missingSystem++;
        if (p.code === 'no_user_message') this.missingUser++;
        // The format reports its own end-of-example rule (an error in strict formats).
        if (p.code === 'last_not_assistant' && decoded.problems.some((d) => d.code === p.code)) continue;
        this.add(line, p);
      }
      this.tokens(messages, line);
      this.duplicates(messages, line);
    }
    const found = this.gate.find(value);
    if (Object.keys(found).length > 0)
      this.add(line, {
        code: 'secret_found',
        message: `The redaction rules find ${findingsText(found)}; remove or mask them (the values are not shown).`,
      });
    if (this.errorCount > before) this.examplesWithErrors++;
  }

  private tokens(messages: ChatMessage[], line: number): void {
    const budget = this.options.maxExampleTokens;
    const measure = this.meter.measure(messages, budget);
    if (measure.exact) this.exactCounts++;
    this.messageCounts.add(messages.length);
    this.totalTokens.add(measure.total);
    this.assistantTokens.add(measure.trainable);
    this.cappedTokens += Math.min(budget, measure.total);
    if (measure.total > budget) {
      this.overBudget++;
      this.add(line, {
        code: 'over_token_budget',
        message: `${measure.total} tokens; the budget is ${budget}. Split the conversation, or shorten tool outputs.`,
      });
    }
    const tool = messages.filter((m) => m.role === 'tool');
    if (tool.length > 0) {
      const share = this.meter.estimate(tool) / Math.max(1, this.meter.estimate(messages));
      if (share > toolShareWarning)
        this.add(line, {
          code: 'tool_output_share',
          message: `Tool output is ${Math.round(share * 100)} % of the tokens, none of it trained.`,
        });
    }
  }

  private duplicates(messages: ChatMessage[], line: number): void {
    const key = exactKey(messages);
    const first = this.seen.get(key);
    if (first !== undefined) {
      this.exactDuplicates++;
      this.add(line, { code: 'exact_duplicate', message: `The same example as line ${first}.` });
      return;
    }
    this.seen.set(key, line);
    const { match, similarity } = this.near.add(minhash(comparedText(messages)));
    this.nearLines.push(line);
    if (match >= 0) {
      this.nearDuplicates++;
      this.add(line, {
        code: 'near_duplicate',
        message: `A near-duplicate of line ${this.nearLines[match]} (estimated similarity ${similarity.toFixed(2)}).`,
      });
    }
  }

  private add(line: number | null, problem: Problem): void {
    const finding: Finding = { line, code: problem.code, message: problem.message };
    if (severityOf(problem) === 'error') {
      this.errorCount++;
      if (this.errors.length < listed) this.errors.push(finding);
    } else {
      this.warningCount++;
      if (this.warnings.length < listed) this.warnings.push(finding);
    }
  }

  report(): ValidationReport {
    if (this.examples < this.options.minExamples)
      this.add(null, {
        code: 'too_few_examples',
        message: `${this.examples} examples; at least ${this.options.minExamples} are needed.`,
      });
    return {
      ok: this.errorCount === 0,
      format: this.options.format,
      errors: this.errors,
      warnings: this.warnings,
      errorCount: this.errorCount,
      warningCount: this.warningCount,
      stats: {
        lines: this.lines,
        examples: this.examples,
        examplesWithErrors: this.examplesWithErrors,
        messagesPerExample: this.messageCounts.summary(),
        totalTokens: this.totalTokens.summary(),
        assistantTokens: this.assistantTokens.summary(),
        tokenizer: tokenizerName,
        tokenBudget: this.options.maxExampleTokens,
        overTokenBudget: this.overBudget,
        exactTokenCounts: this.exactCounts,
        estimatedTokenCounts: this.totalTokens.count - this.exactCounts,
        missingSystem: this.missingSystem,
        missingUser: this.missingUser,
        exactDuplicates: this.exactDuplicates,
        nearDuplicates: this.nearDuplicates,
        billing: billingEstimate(this.totalTokens.count, this.cappedTokens),
      },
    };
  }
}
