import type { Block } from '../domain/blocks.ts';
import type { MessageInput, Message, MessageKind, Role, Speaker } from '../domain/message.ts';
import type { Project } from '../domain/project.ts';
import type { RawRecordInput, UsageInput } from '../domain/raw-record.ts';
import type { ApiKey, ApiKeyScope } from '../domain/api-key.ts';
import type { Job, JobState } from '../domain/job.ts';
import type { EnrichmentFacet, MessageEnrichment, StoredEnrichment } from '../domain/enrichment.ts';
import type { NewRun, Run, RunCapture, RunOutcome, RunStatus, StoredCrashReport } from '../domain/run.ts';
import type { Session, SessionPatch, SessionStatus } from '../domain/session.ts';
import type { Alert, NewAlert } from '../domain/alert.ts';
import type { Checkpoint, RetentionOutcome } from '../domain/checkpoint.ts';
import type { SessionTransition, SessionTransitionRequest } from '../domain/session-transition.ts';
import type {
  NewTrainingFile,
  TrainingFile,
  TrainingFileBuild,
  TrainingFileMember,
} from '../domain/training-file.ts';

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

/** What can be written to a blob: bytes, text, or a stream of either (large objects stream). */
export type BlobBody = Uint8Array | string | AsyncIterable<Uint8Array | string>;

/** A written blob: its key, size in bytes and where it lives (a file path, a URL). */
export type StoredBlob = { key: string; size: number; location: string };

/**
 * Large objects by key: conversations captured for runs, run logs, archives. Keys are
 * `/`-separated relative names (`conversations/local/run_x/conversation.json`). Adapters: fs/
 * (local files) now, S3 later, both passing one contract suite.
 */
export interface BlobStore {
  /** Writes the whole object, replacing any with that key; readers never see a partial one. */
  put(key: string, body: BlobBody): Promise<StoredBlob>;
  /** The object's bytes as a stream, or null when there is none. */
  get(key: string): Promise<AsyncIterable<Uint8Array> | null>;
  exists(key: string): Promise<boolean>;
  /** Keys starting with `prefix`, in order. */
  list(prefix: string): AsyncIterable<string>;
  /** Where a key lives (or would), for people: a file path, an s3:// URL. */
  locate(key: string): string;
}

/** Everything one ingest step wants stored, written in one transaction (group commit). */
export type WriteBatch = {
  projectId: number;
  sessions: SessionPatch[];
  raw: RawRecordInput[];
  /** `enrichment` is written with a new (or revised) message, in the same transaction. */
  messages: (MessageInput & { rawHash: string | null; enrichment?: MessageEnrichment })[];
  usage: UsageInput[];
  blobs: BlobInput[];
  fileStates: SourceFileState[];
  /** Titles for the sessions holding these messages, applied after the batch's messages are stored. */
  leafTitles?: LeafTitleInput[];
};

/**
 * A title for the sessions that hold message `leafExternalId` (a Claude `summary` line, often in
 * another file than the message): it fills the title of each session holding the leaf that has
 * none, whether the message is stored before or after (rule: storage/leaf-titles.ts).
 */
export type LeafTitleInput = { source: string; leafExternalId: string; title: string };

/**
 * A re-import asks what it need not prepare again (ingest/unchanged-records.ts): raw records by
 * sha256 (hex, as written) and messages by external id, of one project and source.
 */
export type StoredVersionQuery = {
  projectId: number;
  source: string;
  rawHashes: readonly string[];
  messageExternalIds: readonly string[];
};

/** The given raw hashes that are stored, and the stored messages among the given external ids. */
export type StoredVersions = {
  rawHashes: Set<string>;
  messages: Map<string, { sessionId: string; contentHash: string }>;
};

/** What became of one message of a batch: stored, already there, or stored over an older version. */
export type MessageWriteStatus = 'new' | 'duplicate' | 'revised';

export type WriteResult = {
  newMessages: number;
  duplicateMessages: number;
  newRawRecords: number;
  /** One entry per `batch.messages` element, in the same order. */
  messageStatus: MessageWriteStatus[];
};

export type SessionQuery = {
  projectId: number;
  source?: string;
  status?: SessionStatus;
  /** Sessions with at least one message from this speaker name. */
  speaker?: string;
  /** Sessions started at or after / before these times (epoch ms). */
  since?: number;
  until?: number;
  /** Words that must all occur in one of the session's messages (full-text) or in its title. */
  text?: string;
  limit?: number;
  offset?: number;
  /** Keyset pagination: sessions after this one in the list order (newest first, then id). */
  after?: SessionCursor;
};

/** A position in the session list: the `startedAt` (null counts as 0) and id of the last session seen. */
export type SessionCursor = { startedAt: number; id: string };

/** A position in a session's messages: the order key of the last message seen. */
export type MessageCursor = { timestamp: number; seq: number; id: number };

export type MessagePage = { after?: MessageCursor; limit?: number };

/** A key as stored: the listing plus the hash of the whole key, to compare in constant time. */
export type StoredApiKey = ApiKey & { secretHash: Uint8Array };

export type NewApiKey = {
  id: string;
  projectId: number;
  name: string | null;
  scopes: ApiKeyScope[];
  secretHash: Uint8Array;
  createdAt: number;
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

/** Messages per label of one enrichment facet (domain, tier, tag, tool, ...), most first. */
export type FacetQuery = {
  projectId: number;
  facet: EnrichmentFacet;
  sessionId?: string;
  source?: string;
  /** Message timestamps (epoch ms): since inclusive, until exclusive. */
  since?: number;
  until?: number;
  limit?: number;
};

export type FacetCount = { label: string; messages: number; sessions: number };

/** Term counts summed over the selected messages (for TF-IDF keywords, see enrich/keywords.ts). */
export type TermQuery = {
  projectId: number;
  sessionId?: string;
  since?: number;
  until?: number;
  /** The terms with the largest summed counts, at most this many (default 200). */
  limit?: number;
};

/** `documents`: messages of the project counted in the document frequencies. */
export type TermTotals = {
  documents: number;
  terms: { term: string; count: number; documents: number }[];
};

/** Messages of a project in id order, for (re-)enrichment. */
export type EnrichmentScan = {
  projectId: number;
  /** Only this session's messages. */
  sessionId?: string;
  since?: number;
  until?: number;
  /** Messages with a larger id only (to resume). */
  afterId?: number;
  limit?: number;
  /** Only messages lacking one of these enrichers at this version (or newer); all when absent. */
  outdated?: { enricher: string; version: number }[];
};

export type EnrichmentWrite = { messageId: number; enrichment: MessageEnrichment };

export type RunQuery = { projectId: number; status?: RunStatus; limit?: number };

/** A run is recorded unless its id or chain id is taken (the caller picks another chain id). */
export type RunInsert = { ok: true; run: Run } | { ok: false; conflict: 'id' | 'chainId' };

export type SessionStatusQuery = {
  status: SessionStatus;
  /** Only sessions whose last message time (else start time, else none) is before this (epoch ms). */
  lastActivityBefore?: number;
  /** Pages in id order: the sessions after this id. */
  afterId?: string;
  limit: number;
};

/** One session's own messages, all or up to a message: a piece of a memory session's history. */
export type MessageSpan = {
  sessionId: string;
  /** The span's last message (a branch's fork point), or null for all of them. */
  upTo: number | null;
  /** `stored`: commit order (memory sessions); `conversation`: time order (any other session). */
  order: 'stored' | 'conversation';
};

/** A message as session memory reads it: what it says and who said it, not the source's bookkeeping. */
export type HistoryMessage = Pick<
  Message,
  | 'id'
  | 'sessionId'
  | 'externalId'
  | 'role'
  | 'kind'
  | 'speaker'
  | 'text'
  | 'blocks'
  | 'timestamp'
  | 'seq'
  | 'meta'
>;

/** A page of a span, newest first: before one of its messages, pinned notes or everything else. */
export type SpanRead = { before?: number; limit: number; notes: 'exclude' | 'only' };

/** An earlier version of a revised message, replaced at `replacedAt`. */
export type MessageRevision = {
  messageId: number;
  replacedAt: number;
  contentHash: string;
  text: string;
  blocks: Block[];
  meta: Record<string, unknown>;
};

/** Messages holding all the words, in a project or only in the given spans of it. */
export type MessageSearch = { projectId: number; text: string; spans?: MessageSpan[]; limit: number };
export type MessageSearchHit = { message: Message; snippet: string };

/** Full-text search (`agentlog search`, `GET /v1/search`): the user's words, never query syntax. */
export type TextSearch = {
  projectId: number;
  text: string;
  source?: string;
  /** A speaker name, or a role (`user`, `assistant`) for messages without a speaker name. */
  speaker?: string;
  /** Messages whose domain chain (enrichment) includes this domain. */
  domain?: string;
  /** Message time (epoch ms): since inclusive, until exclusive. */
  since?: number;
  until?: number;
  limit: number;
  /**
   * `relevance`: best first among the newest matches (see search-queries.ts); `recent`: newest stored
   * first. With a speaker name or a domain, newest first either way.
   */
  order: 'relevance' | 'recent';
};

export type TextSearchHit = {
  messageId: number;
  sessionId: string;
  source: string;
  role: Role;
  speaker: Speaker | null;
  timestamp: number | null;
  /** The message text (the caller cuts the snippet). */
  text: string;
};

/** The messages a report covers: message time (epoch ms), since inclusive, until exclusive. */
export type ReportWindow = { projectId: number; since?: number; until?: number };

/** Messages per UTC day (start, epoch ms; null: no timestamp) and who or what wrote them. */
export type MessageCountRow = {
  day: number | null;
  source: string;
  role: Role;
  kind: MessageKind;
  speaker: string | null;
  model: string | null;
  messages: number;
};

/** Token usage (each model response once) per UTC day, source and model. */
export type UsageDayRow = {
  day: number;
  source: string;
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  responses: number;
};

/** Messages per label of one enrichment facet, in a report's window. */
export type ReportFacetQuery = ReportWindow & { facet: EnrichmentFacet };

/** Sessions per status, of the sessions started in the window. */
export type StatusCount = { status: SessionStatus; sessions: number };

/** What the next checkpoint of a project holds: message and raw record ids in (from, to]. */
export type ArchivePlan = {
  projectId: number;
  seq: number;
  messages: { from: number; to: number };
  raw: { from: number; to: number };
  /** Messages of the project in the ranges. */
  newMessages: number;
  newRawRecords: number;
  /** Messages at or below `messages.from` revised since they were archived: archived again. */
  revised: number;
};

/**
 * A message as archived: the stored row, its raw record's key and its earlier versions. JSON
 * values come as the JSON text stored, so archives copy them without parsing.
 */
export type ArchivedMessage = Omit<Message, 'blocks' | 'meta'> & {
  projectId: number;
  blocksJson: string;
  metaJson: string;
  /** Earlier versions, oldest first: `[{replacedAt, contentHash, text, blocks, meta}]`. */
  revisionsJson: string;
  /** The raw record's key: the first 16 bytes of its sha256, in hex (as `ArchivedRawRecord.hash`). */
  rawHash: string | null;
  /** Revised since it was stored or last archived (the next checkpoint clears it, by content hash). */
  pendingRevision: boolean;
};

export type ArchivedRawRecord = {
  id: number;
  source: string;
  hash: string;
  recordType: string;
  sessionId: string | null;
  line: number;
  byteOffset: number;
  /** The record's bytes as stored: zstd-compressed, or plain for a small JSON record (ingest/raw-codec.ts). */
  data: Uint8Array;
};

/** A checkpoint to index, with the revised messages it archived again (cleared from pending). */
export type NewCheckpoint = Omit<Checkpoint, 'id' | 'verifiedAt'> & {
  revisedArchived: { messageId: number; contentHash: string }[];
};

/** Delete from the hot store what is older than `cutoff` and held by checkpoints up to `verifiedThrough`. */
export type RetentionRequest = { projectId: number; cutoff: number; verifiedThrough: number; now: number };

/** Messages of a project in id order (exports). */
export type MessageScan = {
  projectId: number;
  since?: number;
  until?: number;
  source?: string;
  sessionId?: string;
};

/** A new training file and the sessions it starts with, written in one transaction. */
export type TrainingFileCreate = { file: NewTrainingFile; sessionIds: readonly string[] };

/** Sessions to add to (or remove from) a training file. */
export type TrainingFileMembership = { fileId: string; sessionIds: readonly string[]; at: number };

/**
 * Applied whole, or refused whole: `sessions` names those already in the file (add) or not in it
 * (remove), and nothing changed.
 */
export type TrainingFileMembershipOutcome =
  { ok: true; file: TrainingFile } | { ok: false; sessions: string[] };

/** Whether a session may join a training file: its status, and messages without enrichment. */
export type SessionReadiness = {
  sessionId: string;
  /** null: no such session in the project. */
  status: SessionStatus | null;
  messages: number;
  unenriched: number;
};

/**
 * A message as a training-file build reads it: `text` only when it has no blocks, and the blocks
 * as their stored JSON text (parsed where the build judges the session, maybe another thread:
 * text crosses threads far cheaper than objects).
 */
export type TrainingMessage = Pick<
  Message,
  'id' | 'role' | 'kind' | 'speaker' | 'text' | 'responseId' | 'contentHash'
> & {
  blocksJson: string;
};

/** A build to record; the store gives it the file's next version number. */
export type NewTrainingFileBuild = Omit<TrainingFileBuild, 'version'>;

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
  /** A session's messages in conversation order, streamed; `page` reads a slice after a cursor. */
  messages(sessionId: string, page?: MessagePage): AsyncIterable<Message>;
  /** Applies a status change if the session's status allows it; null (nothing stored) when it does not. */
  transitionSession(request: SessionTransitionRequest): Promise<SessionTransition | null>;
  sessionTransitions(sessionId: string): Promise<SessionTransition[]>;
  /** Sessions of every project in one status, in id order (the session lifecycle's sweeps). */
  sessionsInStatus(query: SessionStatusQuery): Promise<Session[]>;
  createApiKey(key: NewApiKey): Promise<ApiKey>;
  findApiKey(id: string): Promise<StoredApiKey | null>;
  /** Every key, or only those of one project, oldest first. */
  listApiKeys(projectId?: number): Promise<ApiKey[]>;
  /** Marks a key revoked (the first revocation time is kept); null when there is no such key. */
  revokeApiKey(id: string, at: number): Promise<ApiKey | null>;
  /** The raw source record with this hash, still compressed (see ingest/raw-codec.ts). */
  rawRecord(projectId: number, source: string, hash: string): Promise<Uint8Array | null>;
  /** Which of these raw records and messages are stored, and each message's stored version. */
  storedVersions(query: StoredVersionQuery): Promise<StoredVersions>;
  usage(query: UsageQuery): Promise<UsageRow[]>;
  counts(projectId: number): Promise<{ sessions: number; messages: number; rawRecords: number }>;
  /** Each message's stored enrichment results (messages without any are absent from the map). */
  enrichments(messageIds: readonly number[]): Promise<Map<number, StoredEnrichment[]>>;
  facetCounts(query: FacetQuery): Promise<FacetCount[]>;
  termTotals(query: TermQuery): Promise<TermTotals>;
  /** Document frequencies of these terms in the project, and how many documents were counted. */
  termDocuments(
    projectId: number,
    terms: readonly string[],
  ): Promise<{ documents: number; frequencies: Map<string, number> }>;
  messagesToEnrich(scan: EnrichmentScan): AsyncIterable<Message>;
  /** Replaces the named enrichers' results and the facets' labels of stored messages. */
  writeEnrichments(projectId: number, items: readonly EnrichmentWrite[]): Promise<void>;
  insertRun(run: NewRun): Promise<RunInsert>;
  updateRunCapture(id: string, capture: RunCapture): Promise<Run | null>;
  finishRun(id: string, outcome: RunOutcome): Promise<Run | null>;
  /** Runs of a project whose id or chain id (any case) is `ref`; else whose id starts with it. */
  findRuns(projectId: number, ref: string): Promise<Run[]>;
  /** Newest first. */
  listRuns(query: RunQuery): Promise<Run[]>;
  addCrashReport(report: StoredCrashReport): Promise<void>;
  /** A run's crash reports, oldest first. */
  crashReports(runId: string): Promise<StoredCrashReport[]>;
  /** Session memory: a span's messages newest first. */
  spanMessagesDesc(span: MessageSpan, read: SpanRead): Promise<HistoryMessage[]>;
  /** Every message of a span, pinned notes included, oldest first, streamed. */
  spanMessages(span: MessageSpan): AsyncIterable<Message>;
  /** Messages of a span, pinned notes not counted. */
  countSpanMessages(span: MessageSpan): Promise<number>;
  getMessage(projectId: number, id: number): Promise<Message | null>;
  findMessage(projectId: number, source: string, externalId: string): Promise<Message | null>;
  /** A message's earlier versions, oldest first. */
  messageRevisions(messageId: number): Promise<MessageRevision[]>;
  /** Best match first. */
  searchMessages(search: MessageSearch): Promise<MessageSearchHit[]>;
  /** Full-text search over message text; an empty or unsearchable query finds nothing. */
  searchText(query: TextSearch): Promise<TextSearchHit[]>;
  /** Message counts grouped for reports (from aggregates kept up to date on read). */
  messageCounts(window: ReportWindow): Promise<MessageCountRow[]>;
  usageByDay(window: ReportWindow): Promise<UsageDayRow[]>;
  sessionStatusCounts(window: ReportWindow): Promise<StatusCount[]>;
  /** Messages per label of an enrichment facet (from aggregates; `facetCounts` without sessions). */
  reportFacets(query: ReportFacetQuery): Promise<{ label: string; messages: number }[]>;
  /** The window's most frequent terms, as `termTotals` answers (from aggregates). */
  reportTerms(window: ReportWindow, limit: number): Promise<TermTotals>;
  /** What the project's next checkpoint would hold (nothing new: empty ranges and `revised` 0). */
  planCheckpoint(projectId: number): Promise<ArchivePlan>;
  archivedMessages(plan: ArchivePlan): AsyncIterable<ArchivedMessage>;
  archivedRawRecords(plan: ArchivePlan): AsyncIterable<ArchivedRawRecord>;
  /** Indexes a written checkpoint; refused (CONFLICT) when another was recorded since the plan. */
  recordCheckpoint(checkpoint: NewCheckpoint): Promise<Checkpoint>;
  /** Oldest first. */
  listCheckpoints(projectId: number): Promise<Checkpoint[]>;
  markCheckpointVerified(id: number, at: number): Promise<void>;
  /** Deletes archived, verified messages older than the cutoff from every hot table (see archive-queries.ts). */
  applyRetention(request: RetentionRequest): Promise<RetentionOutcome>;
  scanMessages(scan: MessageScan): AsyncIterable<Message>;
  addAlert(alert: NewAlert): Promise<Alert>;
  /** Newest first. */
  listAlerts(projectId: number, limit: number): Promise<Alert[]>;
  noteAlertDelivery(id: number, outcome: { at: number; error: string | null }): Promise<void>;
  /** Creates a training file with its first sessions; refused when the project has one of that name. */
  createTrainingFile(
    request: TrainingFileCreate,
  ): Promise<{ ok: true; file: TrainingFile } | { ok: false; conflict: 'name' }>;
  /** Training files of a project whose id or name is `ref`; else whose id starts with it. */
  findTrainingFiles(projectId: number, ref: string): Promise<TrainingFile[]>;
  /** Newest first. */
  listTrainingFiles(projectId: number): Promise<TrainingFile[]>;
  addTrainingFileSessions(request: TrainingFileMembership): Promise<TrainingFileMembershipOutcome>;
  removeTrainingFileSessions(request: TrainingFileMembership): Promise<TrainingFileMembershipOutcome>;
  /** Deletes the file, its membership and its build records (the built blobs stay); false when absent. */
  deleteTrainingFile(id: string): Promise<boolean>;
  /** A training file's sessions in session id order, streamed. */
  trainingFileSessions(fileId: string): AsyncIterable<TrainingFileMember>;
  /**
   * A session's messages in conversation order, with only what a build reads. One array per
   * session: a build holds one session at a time, and a row-by-row stream costs more than the rows.
   * Messages marked `rewound` (turns the agent undid) are not training data and are left out.
   */
  trainingMessages(sessionId: string): Promise<TrainingMessage[]>;
  /** One entry per id, in the order given. */
  sessionReadiness(projectId: number, sessionIds: readonly string[]): Promise<SessionReadiness[]>;
  /** Per facet, the label carried (rank 0) by most of the session's messages, or null. */
  sessionTopLabels(
    sessionId: string,
    facets: readonly EnrichmentFacet[],
  ): Promise<Record<string, string | null>>;
  recordTrainingFileBuild(build: NewTrainingFileBuild): Promise<TrainingFileBuild>;
  /** Newest first. */
  trainingFileBuilds(fileId: string): Promise<TrainingFileBuild[]>;
  close(): Promise<void>;
}

export type NewJob = {
  kind: string;
  /** Natural key: a second enqueue of the same (kind, key) returns the first job and adds nothing. */
  key: string;
  payload: unknown;
  priority?: number;
  maxAttempts?: number;
  backoffMs?: number;
  /** Not before this time (default: now). */
  runAt?: number;
  now: number;
};

export type JobClaim = {
  /** Who claims: a worker's unique id; only it may then complete, fail, release or extend the job. */
  worker: string;
  now: number;
  /** The job is the worker's until now + leaseMs; after that another worker may claim it. */
  leaseMs: number;
  /** Only jobs of these kinds (a worker never claims work it does not know). */
  kinds: readonly string[];
};

export type JobFailure = {
  error: string;
  now: number;
  /** Retrying cannot help (bad data, a broken contract): dead at once. */
  permanent?: boolean;
  /** What the work reported before it failed, kept with the job. */
  result?: unknown;
};

export type JobListQuery = { state?: JobState; kind?: string; limit?: number };

export type JobRetryOutcome =
  | { status: 'retried'; job: Job }
  | { status: 'not_found' }
  /** Running or done: there is nothing to retry. */
  | { status: 'not_retryable'; job: Job };

/**
 * The persistent job queue. Claims are leases: a worker that vanishes loses its job when the
 * lease ends. Failures are retried with exponential backoff until `maxAttempts`, then the job is
 * dead with its last error. Every adapter passes test/jobs/job-queue.contract.ts.
 */
export interface JobQueue {
  enqueue(job: NewJob): Promise<{ job: Job; created: boolean }>;
  /** The ready job of highest priority (then oldest), now running under the claimer's lease; attempts + 1. */
  claim(request: JobClaim): Promise<Job | null>;
  /** Extends the lease of a job the worker still holds; false when it no longer holds it. */
  extendLease(id: number, worker: string, now: number, leaseMs: number): Promise<boolean>;
  /** null when the worker no longer holds the job (its lease ended and another took it). */
  complete(id: number, worker: string, outcome: { now: number; result?: unknown }): Promise<Job | null>;
  /** Back to queued after the backoff, or dead when permanent or out of attempts; null when not held. */
  fail(id: number, worker: string, failure: JobFailure): Promise<Job | null>;
  /** Gives a job back unfinished (shutdown): queued again at once, the attempt not counted. */
  release(id: number, worker: string, now: number): Promise<Job | null>;
  /** A dead job queued again with fresh attempts, or a waiting one made ready now. */
  retry(id: number, now: number): Promise<JobRetryOutcome>;
  get(id: number): Promise<Job | null>;
  /** Newest first. */
  list(query: JobListQuery): Promise<Job[]>;
  countByState(): Promise<Record<JobState, number>>;
}
