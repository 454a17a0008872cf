import type { MessageEnrichment } from '../domain/enrichment.ts';
import type { MessageInput } from '../domain/message.ts';
import { IngestPipeline } from '../enrich/ingest-pipeline.ts';
import type { ParsedRecord } from '../sources/source-format.ts';
import type { SourceFileState, Store, WriteBatch, WriteResult } from '../storage/ports.ts';
import { compressRaw, rawHash } from './raw-codec.ts';

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
    const prepared = this.pipeline.prepare(parsed, fresh ? origin.bytes : null);
    const record = prepared.record;
    let hash: string | null = null;
    if (origin !== null && !fresh) {
      hash = this.lastHash;
    } else if (origin !== null && prepared.raw !== null) {
      const bytes = prepared.raw;
      hash = rawHash(bytes);
      this.lastOrigin = origin;
      this.lastHash = hash;
      this.batch.raw.push({
        source: this.source,
        hash,
        recordType: record.recordType,
        sessionExternalId: record.sessionExternalId,
        line: origin.line,
        byteOffset: origin.offset,
        data: compressRaw(bytes),
      });
      this.bytes += bytes.byteLength;
    }
    for (const patch of record.sessions) {
      this.batch.sessions.push(patch);
      this.totals.sessions.add(patch.externalId);
    }
    for (const image of record.images) this.batch.blobs.push(image);
    if (record.message !== null) this.addMessage(record.message, hash, prepared.enrichment);
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
    };
  }
}
