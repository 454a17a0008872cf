import type { MessageEnrichment } from '../domain/enrichment.ts';
import type { MessageInput } from '../domain/message.ts';
import { IngestPipeline } from '../enrich/ingest-pipeline.ts';
import type { ParsedRecord } from '../sources/source-format.ts';
import type { SourceFileState, Store, WriteBatch, WriteResult } from '../storage/ports.ts';
import { prepareItem, type PreparedItem } from './prepared-item.ts';

/** The raw bytes a record came from and where; null for records that arrive already structured. */
export type RawOrigin = { bytes: Uint8Array; line: number; offset: number };

export type IngestTotals = {
  messages: number;
  newMessages: number;
  duplicateMessages: number;
  sessions: Set<string>;
};

// A batch lives in memory until it commits (with its parsed messages and enrichment): keep it small.
const maxBatchRecords = 1000;
const maxBatchBytes = 2 << 20;

/**
 * THE write path: every way into the store (imports, live capture, the server) hands records to
 * an Ingestor, which batches them and commits each batch in one transaction (group commit).
 */
export class Ingestor {
  readonly totals: IngestTotals = { messages: 0, newMessages: 0, duplicateMessages: 0, sessions: new Set() };
  private readonly store: Store;
  private readonly projectId: number;
  private readonly source: string;
  private batch: WriteBatch;
  private records = 0;
  private bytes = 0;
  /** The last raw origin stored: records cut from one source record share its raw row. */
  private lastOrigin: RawOrigin | null = null;
  private lastHash: string | null = null;
  private readonly pipeline: IngestPipeline;

  /**
   * `pipeline` redacts and enriches every record before it is queued; without one, the default
   * policy applies (mask secrets and PII), so no way into the store skips redaction.
   */
  constructor(store: Store, projectId: number, source: string, pipeline?: IngestPipeline) {
    this.store = store;
    this.projectId = projectId;
    this.source = source;
    this.pipeline = pipeline ?? new IngestPipeline();
    this.batch = this.emptyBatch();
  }

  /** Queues one record; the caller flushes when `full` says so, at a point it can commit. */
  add(parsed: ParsedRecord, origin: RawOrigin | null): void {
    const fresh = origin !== null && origin !== this.lastOrigin;
    const item = prepareItem(this.pipeline, parsed, fresh ? origin.bytes : null);
    if (origin !== null && !fresh) {
      this.queue(item, origin, this.lastHash);
      return;
    }
    if (origin !== null && item.raw !== null) {
      this.lastOrigin = origin;
      this.lastHash = item.raw.hash;
    }
    this.queue(item, origin, item.raw?.hash ?? null);
  }

  /**
   * Queues a record the store already holds as it is (ingest/unchanged-records.ts): its message and
   * raw bytes are not prepared or written again, and the message counts as the duplicate the store
   * would call it. What merges into other rows (session patches, usage, images) is still queued,
   * redacted as always: a later record of the same session may have been stored over it.
   */
  addUnchanged(parsed: ParsedRecord): void {
    if (parsed.message !== null) {
      this.totals.messages++;
      this.totals.duplicateMessages++;
    }
    this.queue(prepareItem(this.pipeline, { ...parsed, message: null }, null), null, null);
  }

  /**
   * Queues a record already prepared elsewhere (a worker thread, see prepare-pool.ts) with the
   * same pipeline settings; its raw bytes are its own (never shared with the previous record).
   */
  addPrepared(item: PreparedItem, origin: { line: number; offset: number } | null): void {
    this.queue(item, origin, origin === null ? null : (item.raw?.hash ?? null));
  }

  private queue(
    item: PreparedItem,
    origin: { line: number; offset: number } | null,
    hash: string | null,
  ): void {
    const record = item.record;
    if (origin !== null && item.raw !== null) {
      this.batch.raw.push({
        source: this.source,
        hash: item.raw.hash,
        recordType: record.recordType,
        sessionExternalId: record.sessionExternalId,
        line: origin.line,
        byteOffset: origin.offset,
        data: item.raw.data,
      });
      this.bytes += item.raw.byteLength;
    }
    for (const patch of record.sessions) {
      this.batch.sessions.push(patch);
      this.totals.sessions.add(patch.externalId);
    }
    for (const image of record.images) this.batch.blobs.push(image);
    if (record.leafTitle !== undefined)
      (this.batch.leafTitles ??= []).push({ source: this.source, ...record.leafTitle });
    if (record.message !== null) this.addMessage(record.message, hash, item.enrichment);
    if (record.usage !== null && record.sessionExternalId !== null) {
      this.batch.usage.push({
        source: this.source,
        sessionExternalId: record.sessionExternalId,
        ...record.usage,
      });
    }
    this.records++;
  }

  private addMessage(
    message: MessageInput,
    rawHashValue: string | null,
    enrichment?: MessageEnrichment,
  ): void {
    this.batch.messages.push(
      enrichment === undefined
        ? { ...message, rawHash: rawHashValue }
        : { ...message, rawHash: rawHashValue, enrichment },
    );
    this.totals.messages++;
  }

  get full(): boolean {
    return this.records >= maxBatchRecords || this.bytes >= maxBatchBytes;
  }

  get pending(): boolean {
    return this.records > 0;
  }

  /** Commits what is queued, together with where reading stopped, so both survive or neither does. */
  async flush(fileState?: SourceFileState): Promise<WriteResult | null> {
    if (fileState) this.batch.fileStates.push(fileState);
    if (this.records === 0 && this.batch.fileStates.length === 0) return null;
    const batch = this.batch;
    this.batch = this.emptyBatch();
    this.records = 0;
    this.bytes = 0;
    const result = await this.store.write(batch);
    this.totals.newMessages += result.newMessages;
    this.totals.duplicateMessages += result.duplicateMessages;
    return result;
  }

  private emptyBatch(): WriteBatch {
    return {
      projectId: this.projectId,
      sessions: [],
      raw: [],
      messages: [],
      usage: [],
      blobs: [],
      fileStates: [],
      // Always present: the import writer merges batches by the lists of the first one.
      leafTitles: [],
    };
  }
}
