/**
 * An immutable archive segment: every message (and raw record) stored since the previous
 * checkpoint of the project, written once to the blob store and indexed here. Message ids are
 * ranges `(from, to]`; revised messages archived again are counted in `messages` too.
 */
export type Checkpoint = {
  id: number;
  projectId: number;
  /** 1, 2, 3, … within the project. */
  seq: number;
  label: string | null;
  createdAt: number;
  messageRange: { from: number; to: number };
  rawRange: { from: number; to: number };
  messages: number;
  rawRecords: number;
  /** Earliest and latest message timestamps in the segment (null when none has a time). */
  firstTimestamp: number | null;
  lastTimestamp: number | null;
  /** Bytes of every file of the segment. */
  bytes: number;
  /** sha256 of the manifest, which lists each file with its own sha256. */
  sha256: string;
  manifestKey: string;
  verifiedAt: number | null;
};

/** What retention deleted from the hot store in one run. */
export type RetentionOutcome = {
  cutoff: number;
  /** The last checkpoint (seq) whose files all verified; null when none did. */
  verifiedThrough: number | null;
  messages: number;
  rawRecords: number;
};
