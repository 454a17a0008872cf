import type { MessageInput } from '../domain/message.ts';
import type { SessionPatch } from '../domain/session.ts';

interface SourceFormatBase {
  /** Stored in every row: `claude-code`, `codex`, ... */
  readonly name: string;
  /** Names accepted on the command line (`claude`). */
  readonly aliases: readonly string[];
  /** Default roots; config has already applied flag → env var → home default. */
  defaultRoots(env: SourceEnv): string[];
  /** Transcript files below a root (or the root itself when it is a file), in a stable order. */
  discover(root: string): AsyncIterable<string>;
  detect(head: FileHead): Detection;
  /**
   * For an agent that writes files of both layouts (Gemini CLI: JSON documents beside JSON Lines):
   * the format that reads this file, judged from its first bytes. Without it, the format itself.
   */
  formatFor?(head: FileHead): SourceFormat;
}

/** A format written as JSON Lines (or zstd-compressed JSON Lines): read incrementally, line by line. */
export interface LineFormat extends SourceFormatBase {
  readonly layout: 'lines';
  createParser(file: string): RecordParser;
  /**
   * The parser needs every earlier line to read the next (a Gemini `$rewindTo` names an earlier
   * message): when reading resumes mid-file, the lines before are parsed again, storing nothing.
   */
  readonly replaysOnResume?: boolean;
}

/** A format written as one JSON document, rewritten whole: parsed whole, de-duplicated by natural keys. */
export interface DocumentFormat extends SourceFormatBase {
  readonly layout: 'document';
  parseDocument(file: string, value: unknown): Iterable<DocumentRecord>;
}

/**
 * The lifecycle every transcript format follows (one folder per format, same file roles):
 *   paths.ts   where the agent keeps its files, and which files under a root are transcripts
 *   detect.ts  whether a file's first bytes are this format (by content, never by name)
 *   parse.ts   a parser: one source record in, normalised records out
 *   schema.ts  the narrow shape of the fields the parser reads
 *   index.ts   the SourceFormat object registered in sources/registry.ts
 */
export type SourceFormat = LineFormat | DocumentFormat;

/**
 * One record of a document: `raw` is the JSON value it came from (stored as the raw record) and
 * `position` a 1-based index reported as the "line" when the record has a problem.
 */
export type DocumentRecord = { record: ParsedRecord; raw: unknown; position: number };

export type SourceEnv = { home: string; vars: Readonly<Record<string, string | undefined>> };

/** The first bytes of a file: enough for detection without reading the whole file. */
export type FileHead = { path: string; text: string; complete: boolean };

export type Detection = { ok: true } | { ok: false; reason: string };

/** What one source record becomes. `message` is null for records that only carry metadata. */
export type ParsedRecord = {
  recordType: string;
  sessionExternalId: string | null;
  sessions: SessionPatch[];
  message: MessageInput | null;
  usage: ParsedUsage | null;
  images: ParsedImage[];
  /** Set when the record was kept raw but could not be normalised; reported as a skipped line. */
  problem: string | null;
  /**
   * A title for the sessions holding message `leafExternalId`, which the parser cannot all know (a
   * Claude `summary` names a message other files hold too): the store gives it to each of them
   * that has no title, now or when they are written.
   */
  leafTitle?: { leafExternalId: string; title: string };
};

export type ParsedUsage = {
  dedupKey: string;
  model: string | null;
  timestamp: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
} & UsageCopyRules;

/**
 * How copies of one response logged under different keys are told apart (the store applies it).
 * Rows with one `dedupKey` are copies. A `secondary` row (a Claude sidechain line) also copies
 * every row of its `replayGroup`: it is not counted while the group has a primary row, and the
 * secondary rows of a group count once. Of copies, a primary one counts before a secondary one,
 * then the larger total, then the larger `weight`. Without these fields: the largest total.
 */
export type UsageCopyRules = { secondary?: boolean; replayGroup?: string; weight?: number };

export type ParsedImage = { sha256: string; mediaType: string; data: Uint8Array };

/** Parses one file's records in order; may keep state between lines of the same file. */
export interface RecordParser {
  /**
   * `value` is the JSON-parsed line; `line` its 1-based number in the file. A line that holds a
   * whole conversation (generic chat logs) gives one record per message, all sharing the line's raw.
   */
  parse(value: unknown, line: number): ParsedRecord | readonly ParsedRecord[];
  /**
   * For a format that re-delivers changed messages (Gemini CLI): given the records of lines read
   * and committed together, in order, before any is stored, returns them (same length, same order)
   * with the messages a later record among them makes unnecessary removed. The store must end the
   * same as if every record were written.
   */
  coalesce?(records: readonly ParsedRecord[]): readonly ParsedRecord[];
}
