/** A source record exactly as read, kept compressed beside what was normalised from it. */
export type RawRecordInput = {
  source: string;
  /** sha256 of the record's bytes: the natural key of raw data. */
  hash: string;
  recordType: string;
  sessionExternalId: string | null;
  line: number;
  byteOffset: number;
  /** zstd-compressed bytes of the record. */
  data: Uint8Array;
};

/** Token usage of one model response, keyed so that repeated copies count once. */
export type UsageInput = {
  source: string;
  sessionExternalId: string;
  dedupKey: string;
  model: string | null;
  timestamp: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  /** See UsageCopyRules in sources/source-format.ts. */
  secondary?: boolean;
  replayGroup?: string;
  weight?: number;
};
