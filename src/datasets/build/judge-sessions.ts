import { join } from 'node:path';
import type { BuildOptions } from '../../config/datasets-config.ts';
import type { RedactionCounts } from '../../enrich/text-redactor.ts';
import type { DroppedExample } from '../dataset-contract.ts';
import { NearDuplicateIndex } from '../dedup/near-duplicates.ts';
import { addBadInput, noBadInput } from '../example.ts';
import type { Judgement } from './example-sieve.ts';
import { LineFile } from './line-file.ts';
import type { SessionOutcome, SessionRecord } from './session-work.ts';

export type { SessionRecord } from './session-work.ts';

/** Dropped examples listed in the summary; the rest are in the dropped report. */
const listedDrops = 100;

/**
 * The first pass of a build, on the build's own thread: each session's outcome (judged here or
 * in a worker, session-work.ts) is taken in session order. Exact duplicates are dropped, kept
 * examples enter the near-duplicate index as candidates 0, 1, 2, … and go to the spool file as
 * finished text (the second pass only copies them out); dropped ones go to the dropped report.
 */
export class SessionJudge {
  readonly sessions: SessionRecord[] = [];
  readonly badInput = noBadInput();
  readonly masked: RedactionCounts = {};
  excluded = 0;
  missing = 0;
  empty = 0;
  candidates = 0;
  readonly near: NearDuplicateIndex;
  private readonly exact = new Map<string, string>();
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

  constructor(options: BuildOptions, dir: string) {
    this.threshold = options.qualityThreshold;
    this.near = new NearDuplicateIndex(options.nearDuplicateThreshold);
    this.spool = new LineFile(join(dir, 'candidates.jsonl'));
    this.dropped = new LineFile(join(dir, 'dropped.jsonl'));
  }

  /** One session's outcome, or null for a session no longer in the store. */
  async absorb(outcome: SessionOutcome | null): Promise<void> {
    if (outcome === null) {
      this.missing++;
      return;
    }
    addBadInput(this.badInput, outcome.badInput);
    this.excluded += outcome.excluded;
    this.count(outcome.masked);
    const ordinal = this.sessions.length;
    this.sessions.push(outcome.record);
    if (outcome.judgements.length === 0) this.empty++;
    for (const judgement of outcome.judgements) await this.example(judgement, ordinal);
  }

  private async example(j: Judgement, ordinal: number): Promise<void> {
    this.candidates++;
    const sessionId = this.sessions[ordinal]!.session;
    if (!j.kept) return this.drop({ id: j.id, sessionId, index: j.index }, j.reason, j.detail);
    const same = this.exact.get(j.key);
    if (same !== undefined)
      return this.drop(
        { id: j.id, sessionId, index: j.index },
        'exact_duplicate',
        `The same example as ${same}.`,
      );
    this.exact.set(j.key, j.id);
    this.near.add(j.signature);
    this.count(j.masked);
    this.ids.push(j.id);
    this.sessionOf.push(ordinal);
    this.indexes.push(j.index);
    this.scores.push(j.score);
    this.tokens.push(j.tokens.total);
    this.exactTokens.push(j.tokens.exact);
    this.withContext.push(j.withContext);
    await this.spool.line(j.record);
    await this.spool.line(j.provenance);
  }

  private count(masked: RedactionCounts): void {
    for (const [kind, n] of Object.entries(masked)) this.masked[kind] = (this.masked[kind] ?? 0) + n;
  }

  async drop(
    example: { id: string; sessionId: string; index: number },
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
