import type { MessageInput, Message } from '../domain/message.ts';
import type { Project } from '../domain/project.ts';
import type { RawRecordInput, UsageInput } from '../domain/raw-record.ts';
import type { Session, SessionPatch } from '../domain/session.ts';

/** Where an import stopped reading a file, committed in the same transaction as the data read. */
export type SourceFileState = {
  source: string;
  path: string;
  size: number;
  mtimeMs: number;
  /** Bytes consumed: always the end of a complete line. */
  offset: number;
  /** Lines consumed, so line numbers stay right when reading resumes mid-file. */
  lines: number;
  /** sha256 of the file's first bytes, to notice a file replaced by another of the same name. */
  headHash: string;
  format: string;
};

export type BlobInput = { sha256: string; mediaType: string; data: Uint8Array };

/** Everything one ingest step wants stored, written in one transaction (group commit). */
export type WriteBatch = {
  projectId: number;
  sessions: SessionPatch[];
  raw: RawRecordInput[];
  messages: (MessageInput & { rawHash: string | null })[];
  usage: UsageInput[];
  blobs: BlobInput[];
  fileStates: SourceFileState[];
};

export type WriteResult = { newMessages: number; duplicateMessages: number; newRawRecords: number };

export type SessionQuery = {
  projectId: number;
  source?: string;
  limit?: number;
  offset?: number;
};

export type UsageGroup = 'bucket' | 'model' | 'session';

/** Usage summed per group. With `bucket`, `key` is the start (epoch ms) of a 15-minute bucket. */
export type UsageRow = {
  key: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  responses: number;
};

export type UsageQuery = {
  projectId: number;
  groupBy: UsageGroup;
  source?: string;
  since?: number;
  until?: number;
};

export type StoreCapabilities = {
  /** Message text can be searched with the store's own full-text index. */
  fullTextSearch: boolean;
};

/** The durable store. Every adapter passes the same contract suite (test/storage/). */
export interface Store {
  readonly capabilities: StoreCapabilities;
  ensureProject(name: string): Promise<Project>;
  write(batch: WriteBatch): Promise<WriteResult>;
  getSourceFile(projectId: number, source: string, path: string): Promise<SourceFileState | null>;
  listSessions(query: SessionQuery): Promise<Session[]>;
  /** Sessions whose id or external id equals `ref`, or starts with it. */
  findSessions(projectId: number, ref: string): Promise<Session[]>;
  getSession(id: string): Promise<Session | null>;
  /** A session's messages in conversation order, streamed. */
  messages(sessionId: string): AsyncIterable<Message>;
  /** The raw source record with this hash, still compressed (see ingest/raw-codec.ts). */
  rawRecord(projectId: number, source: string, hash: string): Promise<Uint8Array | null>;
  usage(query: UsageQuery): Promise<UsageRow[]>;
  counts(projectId: number): Promise<{ sessions: number; messages: number; rawRecords: number }>;
  close(): Promise<void>;
}
