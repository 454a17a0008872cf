import { join } from 'node:path';
import type { BuildOptions } from '../../config/datasets-config.ts';
import type { Store } from '../../storage/ports.ts';
import { toConversation } from '../conversation.ts';
import type { DroppedExample } from '../dataset-contract.ts';
import { addBadInput, noBadInput, type Example } from '../example.ts';
import type { TargetFormat } from '../formats/target-format.ts';
import { examplesOf } from '../strategies/pick-strategy.ts';
import type { TokenMeter } from '../token-meter.ts';
import { ExampleSieve } from './example-sieve.ts';
import { LineFile } from './line-file.ts';
import { readSession } from './session-source.ts';
import { spoolRecord } from './spool-records.ts';

/** What the build keeps of each session: enough for the manifest, the document and the distribution. */
export type SessionRecord = {
  session: string;
  source: string;
  agent: string;
  domain: string | null;
  tier: string | null;
  title: string | null;
  startedAt: number | null;
  messages: number;
  sha256: string;
  /** Examples written from it (filled in once the examples are settled). */
  examples: number;
};

/** Dropped examples listed in the summary; the rest are in the dropped report. */
const listedDrops = 100;

/**
 * The first pass of a build: each session of the file, one at a time, is read, turned into
 * examples, and each example judged (ExampleSieve). Kept examples go to a spool file, written
 * and validated (the second pass only copies them out), dropped ones to the dropped report.
 */
export class SessionJudge {
  readonly sessions: SessionRecord[] = [];
  readonly badInput = noBadInput();
  excluded = 0;
  missing = 0;
  empty = 0;
  candidates = 0;
  readonly sieve: ExampleSieve;
  /** Per kept example (by candidate index): its id, session (index into `sessions`), position, score. */
  readonly ids: string[] = [];
  readonly sessionOf: number[] = [];
  readonly indexes: number[] = [];
  readonly scores: number[] = [];
  /** Per kept example: its tokens, whether they were counted exactly, whether it holds context turns. */
  readonly tokens: number[] = [];
  readonly exactTokens: boolean[] = [];
  readonly withContext: boolean[] = [];
  readonly spool: LineFile;
  readonly dropped: LineFile;
  readonly droppedByReason = new Map<string, number>();
  readonly droppedList: DroppedExample[] = [];
  readonly threshold: number;
  private readonly store: Store;
  private readonly options: BuildOptions;
  private readonly meter: TokenMeter;

  constructor(store: Store, options: BuildOptions, meter: TokenMeter, format: TargetFormat, dir: string) {
    this.store = store;
    this.options = options;
    this.threshold = options.qualityThreshold;
    this.meter = meter;
    this.sieve = new ExampleSieve(options, meter, format);
    this.spool = new LineFile(join(dir, 'candidates.jsonl'));
    this.dropped = new LineFile(join(dir, 'dropped.jsonl'));
  }

  async session(sessionId: string): Promise<void> {
    const input = await readSession(this.store, sessionId);
    if (input === null) {
      this.missing++;
      return;
    }
    const conversation = toConversation(input.messages, {
      maxToolOutputChars: this.options.maxToolOutputChars,
    });
    addBadInput(this.badInput, conversation.badInput);
    this.excluded += conversation.excluded;
    const ordinal = this.sessions.length;
    const { session } = input;
    this.sessions.push({
      session: session.id,
      source: session.source,
      agent: input.agent,
      domain: input.domain,
      tier: input.tier,
      // Titles are written only in the JSON document: there they pass the secret gate too.
      title:
        session.title === null || this.options.format !== 'json'
          ? session.title
          : this.sieve.maskText(session.title),
      startedAt: session.startedAt,
      messages: input.messages.length,
      sha256: input.sha256,
      examples: 0,
    });
    const examples = examplesOf({ session, conversation, options: this.options, meter: this.meter });
    if (examples.length === 0) this.empty++;
    for (const example of examples) await this.example(example, ordinal);
  }

  private async example(example: Example, ordinal: number): Promise<void> {
    this.candidates++;
    const verdict = this.sieve.judge(example);
    if (!verdict.kept) return this.drop(example, verdict.reason, verdict.detail);
    this.ids.push(example.id);
    this.sessionOf.push(ordinal);
    this.indexes.push(example.index);
    this.scores.push(verdict.quality.score);
    this.tokens.push(verdict.tokens.total);
    this.exactTokens.push(verdict.tokens.exact);
    this.withContext.push(verdict.messages.some((m) => m.role === 'assistant' && m.weight === 0));
    const spooled = spoolRecord(this.options.format, { example, ...verdict });
    await this.spool.line(spooled.record);
    await this.spool.line(spooled.provenance);
  }

  async drop(
    example: Pick<Example, 'id' | 'sessionId' | 'index'>,
    reason: string,
    detail: string,
  ): Promise<void> {
    const entry: DroppedExample = {
      example: example.id,
      session: example.sessionId,
      index: example.index,
      reason,
      detail,
    };
    this.droppedByReason.set(reason, (this.droppedByReason.get(reason) ?? 0) + 1);
    if (this.droppedList.length < listedDrops) this.droppedList.push(entry);
    await this.dropped.line(JSON.stringify(entry));
  }

  abort(): void {
    this.spool.destroy();
    this.dropped.destroy();
  }
}
