import { basename, sep } from 'node:path';
import type { Usage } from '../../domain/usage.ts';
import type { ParsedRecord, ParsedUsage } from '../source-format.ts';
import { FieldError, isObj, optNumber, optObj, type Obj } from '../shared/fields.ts';

/*
 * How Claude Code usage is counted: the way ccusage 20.0.24 (`ccusage claude daily`) counts it,
 * found by experiment, since its totals are what users compare with. Each rule has a case in
 * test/fixtures/usage/, and test/usage/ccusage-parity.test.ts runs both tools over them.
 *
 * Which lines count
 * - Any line, whatever its type, with a string `timestamp` and an object `message.usage`; or a
 *   `progress` line whose `data.message` has them (a sub-agent's message as it streamed), counted
 *   under the progress line's session with the inner requestId, isSidechain and costUSD.
 * - The timestamp is RFC 3339 with seconds, no or exactly 3 fraction digits, `Z` or `±HH:MM`, on
 *   a real calendar day. Anything else (a number, no zone, 6 digits, `2026-02-30`) drops the line.
 * - `input_tokens` and `output_tokens` are required whole numbers ≥ 0; the cache counts may be
 *   absent (0). Cache writes are `cache_creation.ephemeral_5m_input_tokens + ephemeral_1h_...`
 *   whenever `cache_creation` is an object (even `{}`), else `cache_creation_input_tokens`.
 *   `speed`, when present, is `standard` or `fast`.
 * - A wrong type drops the line: sessionId, requestId, version, message.id and message.model are
 *   strings, costUSD a number, isSidechain a boolean. So does an empty sessionId, requestId,
 *   message.id or model, and a version not starting with digits.digits.digit.
 * - A `null` anywhere in the line under one of `nullRejected` drops it (but a null model in
 *   `usage.iterations` is fine); so does nesting 128 levels deep anywhere in the line.
 * - Not looked at: the record type, isApiErrorMessage, the `<synthetic>` model, the content.
 * - Each `usage.iterations` entry of type `advisor_message` with a model is one more response,
 *   with message id `<id>:advisor:<n>`, provided every iteration has valid token counts.
 *
 * Which lines are copies of one response (they count once)
 * - A message id and a requestId: that pair, in any session (resumed sessions copy responses).
 * - A message id without requestId: that id in the same session at the same instant.
 * - No message id: every line counts.
 * - A sidechain line also copies any line of its message id in its session (a /btw side question
 *   replays the parent's messages under new request ids): it never counts while a main-chain line
 *   of that message is there, and the sidechain lines of one message count once.
 * - Which copy counts: a main-chain one over a sidechain one, then the larger total, then the
 *   costlier mix of tokens at Anthropic's price ratios (output 5, cache write 1.25, input 1,
 *   cache read 0.1). ccusage prices ties by model and costUSD instead; only ties differ.
 * The session of a line is its sessionId, else the one its path names (`sessionOfPath`).
 *
 * ccusage reads bytes, we read parsed JSON, so a few things it does cannot be reproduced: it
 * skips lines with `"usage": {` spaced out, `5.0` for 5, a repeated key, integers past 2^53 or a
 * byte order mark. Claude Code writes none of these.
 */

const nullRejected = new Set([
  'id',
  'cwd',
  'model',
  'speed',
  'costUSD',
  'version',
  'sessionId',
  'requestId',
  'isApiErrorMessage',
  'cache_read_input_tokens',
  'cache_creation_input_tokens',
]);

const speeds = new Set(['standard', 'fast']);
const timestampPattern =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{3})?(?:Z|[+-](\d{2}):(\d{2}))$/;
const versionPattern = /^\d+\.\d+\.\d/;

/** A transcript, as usage needs it: its path (keys lines without a message id) and the session it names. */
export type UsageFile = { path: string; session: string };

export function usageFile(path: string): UsageFile {
  return { path, session: sessionOfPath(path) };
}

/**
 * The session a path names, as ccusage reads it below `projects/`: `<project>/<session>.jsonl`,
 * `<project>/<session>/subagents/<agent>.jsonl`, otherwise the name of the file's directory.
 */
export function sessionOfPath(path: string): string {
  // Like Rust's path components: the root of an absolute path is a part of its own.
  const parts = path
    .split(sep)
    .map((p, i) => (i === 0 && p === '' ? sep : p))
    .filter((p) => p.length > 0);
  const projects = parts.indexOf('projects');
  const relative = projects === -1 ? parts : parts.slice(projects + 1);
  const stem = basename(path).replace(/\.jsonl$/, '');
  if (relative.length === 2 && stem.length > 0 && basename(path).endsWith('.jsonl')) return stem;
  if (relative.length >= 4 && relative.at(-2) === 'subagents') return relative.at(-3)!;
  return relative.at(-2) ?? 'unknown';
}

/** The usage rows one line adds, each with the session it falls in when its record has none. */
export type UsageRow = ParsedUsage & { session: string };

/** A line's fields as ccusage deserialises them; a field of the wrong type rejects the line. */
type Entry = {
  timestamp: string;
  message: Obj;
  usage: Usage;
  model: string | undefined;
  messageId: string | undefined;
  requestId: string | undefined;
  sessionId: string | undefined;
  version: string | undefined;
  sidechain: boolean;
  /** Advisor iterations are read from a line's own `message` only, never from a progress line. */
  direct: boolean;
};

/** Thrown (one shared instance: no stack to capture) when a field rejects the line. */
class Rejected extends Error {}
const rejected = new Rejected('not counted');

export function usageRows(value: Obj, file: UsageFile, line: number): UsageRow[] {
  const entry = readEntry(value);
  if (entry === null || !valid(entry) || refusedWhole(value, 1, 'plain')) return [];
  const timestamp = parseTimestamp(entry.timestamp);
  if (timestamp === null) return [];
  const session = entry.sessionId ?? file.session;
  const row = (messageId: string | undefined, usage: Usage, model: string | null, tag: string): UsageRow => ({
    dedupKey: dedupKey(messageId, entry.requestId, session, timestamp, `${file.path}:${line}${tag}`),
    model,
    timestamp,
    ...usage,
    secondary: entry.sidechain,
    weight: costWeight(usage),
    ...(messageId === undefined ? {} : { replayGroup: JSON.stringify([messageId, session]) }),
    session,
  });
  const rows = [row(entry.messageId, entry.usage, entry.model ?? null, '')];
  if (entry.direct) {
    advisors(entry.message).forEach((advisor, n) => {
      const id = entry.messageId === undefined ? undefined : `${entry.messageId}:advisor:${n}`;
      rows.push(row(id, advisor.usage, advisor.model, `:advisor:${n}`));
    });
  }
  return rows;
}

function dedupKey(
  messageId: string | undefined,
  requestId: string | undefined,
  session: string,
  timestamp: number,
  place: string,
): string {
  if (messageId === undefined) return JSON.stringify(['line', place]);
  if (requestId !== undefined) return `${messageId}:${requestId}`;
  return JSON.stringify([messageId, session, timestamp]);
}

/** Integer weights proportional to Anthropic's prices, to break ties between equal totals. */
function costWeight(u: Usage): number {
  return 20 * u.inputTokens + 100 * u.outputTokens + 25 * u.cacheCreationTokens + 2 * u.cacheReadTokens;
}

/**
 * Records each line becomes, with its usage rows: the first rides on the record when it has a
 * session, the others (advisor iterations, or all of them) on records of their own.
 */
export function withUsage(record: ParsedRecord, rows: UsageRow[]): ParsedRecord | ParsedRecord[] {
  if (rows.length === 0) return record;
  const extra = record.sessionExternalId === null ? rows : rows.slice(1);
  if (record.sessionExternalId !== null) record.usage = withoutSession(rows[0]!);
  if (extra.length === 0) return record;
  const usageOnly = (row: UsageRow): ParsedRecord => ({
    recordType: record.recordType,
    sessionExternalId: record.sessionExternalId ?? row.session,
    sessions: [],
    message: null,
    usage: withoutSession(row),
    images: [],
    problem: null,
  });
  return [record, ...extra.map(usageOnly)];
}

function withoutSession(row: UsageRow): ParsedUsage {
  const { session: _session, ...usage } = row;
  return usage;
}

/**
 * A message's own token counts. A count that is not a number makes the record a reported problem
 * (as any malformed field does); so does one too large to read back exactly.
 */
export function messageUsage(message: Obj): Usage | null {
  const usage = optObj(message, 'usage', 'message.usage');
  if (usage === undefined) return null;
  const read = (key: string) => {
    const path = `message.usage.${key}`;
    const v = optNumber(usage, key, path) ?? 0;
    if (Math.abs(v) > Number.MAX_SAFE_INTEGER)
      throw new FieldError(`${path}: ${v} is too large to count exactly`);
    return v;
  };
  return {
    inputTokens: read('input_tokens'),
    outputTokens: read('output_tokens'),
    cacheCreationTokens: read('cache_creation_input_tokens'),
    cacheReadTokens: read('cache_read_input_tokens'),
  };
}

/** The line itself, else a progress line's `data.message`: ccusage tries the two shapes in turn. */
function readEntry(o: Obj): Entry | null {
  // Most lines carry no usage at all: look no further (ccusage skips them by a byte search).
  const inner = isObj(o.data) && isObj(o.data.message) ? o.data.message : undefined;
  if (!hasUsage(o) && (inner === undefined || !hasUsage(inner))) return null;
  try {
    return readShape(o, o, true);
  } catch (error) {
    if (!(error instanceof Rejected)) throw error;
  }
  try {
    if (inner === undefined) return null;
    const entry = readShape(inner, o, false);
    return { ...entry, version: undefined };
  } catch (error) {
    if (error instanceof Rejected) return null;
    throw error;
  }
}

function hasUsage(o: Obj): boolean {
  return isObj(o.message) && isObj(o.message.usage);
}

function readShape(inner: Obj, outer: Obj, direct: boolean): Entry {
  const timestamp = inner.timestamp;
  const message = inner.message;
  if (typeof timestamp !== 'string' || !isObj(message)) throw rejected;
  numberField(inner, 'costUSD');
  return {
    timestamp,
    message,
    usage: readCounts(message.usage),
    model: optString(message, 'model'),
    messageId: optString(message, 'id'),
    requestId: optString(inner, 'requestId'),
    sessionId: optString(outer, 'sessionId'),
    version: direct ? optString(inner, 'version') : undefined,
    sidechain: optBoolean(inner, 'isSidechain') === true,
    direct,
  };
}

function valid(e: Entry): boolean {
  if (e.version !== undefined && !versionPattern.test(e.version)) return false;
  return [e.sessionId, e.requestId, e.messageId, e.model].every((s) => s === undefined || s.length > 0);
}

function readCounts(value: unknown): Usage {
  if (!isObj(value)) throw rejected;
  const speed = value.speed;
  if (speed !== undefined && speed !== null && !(typeof speed === 'string' && speeds.has(speed)))
    throw rejected;
  const written = value.cache_creation;
  const creationInput = optCount(value, 'cache_creation_input_tokens');
  let cacheCreationTokens = creationInput;
  if (written !== undefined && written !== null) {
    if (!isObj(written)) throw rejected;
    cacheCreationTokens =
      optCount(written, 'ephemeral_5m_input_tokens') + optCount(written, 'ephemeral_1h_input_tokens');
  }
  return {
    inputTokens: count(value.input_tokens),
    outputTokens: count(value.output_tokens),
    cacheCreationTokens,
    cacheReadTokens: optCount(value, 'cache_read_input_tokens'),
  };
}

function count(value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw rejected;
}

function optCount(o: Obj, key: string): number {
  return o[key] === undefined ? 0 : count(o[key]);
}

function optString(o: Obj, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw rejected;
  return v;
}

function numberField(o: Obj, key: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number') throw rejected;
  return v;
}

function optBoolean(o: Obj, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw rejected;
  return v;
}

/** Advisor iterations of a response; none unless every iteration is well formed. */
function advisors(message: Obj): { model: string; usage: Usage }[] {
  const iterations = isObj(message.usage) ? message.usage.iterations : undefined;
  if (!Array.isArray(iterations)) return [];
  const found: { model: string; usage: Usage }[] = [];
  try {
    for (const iteration of iterations) {
      if (!isObj(iteration) || typeof iteration.type !== 'string') return [];
      const model = optString(iteration, 'model');
      const usage = readCounts(iteration);
      if (iteration.type === 'advisor_message' && model !== undefined && model.length > 0)
        found.push({ model, usage });
    }
  } catch (error) {
    if (error instanceof Rejected) return [];
    throw error;
  }
  return found;
}

/** ccusage's JSON parser refuses values nested this deep (the line's own object is level 1). */
const maxDepth = 128;

/**
 * Whether the line is refused as a whole: a key of `nullRejected` holds null anywhere in it
 * (inside the `iterations` array of a `usage` object a null `model` is allowed: Claude Code writes
 * one for the main model), or it is nested too deep.
 */
function refusedWhole(value: unknown, depth: number, place: 'plain' | 'usage' | 'iteration'): boolean {
  if (depth >= maxDepth) return true;
  if (Array.isArray(value)) {
    for (const item of value)
      if (typeof item === 'object' && item !== null && refusedWhole(item, depth + 1, place)) return true;
    return false;
  }
  const o = value as Obj;
  for (const key in o) {
    const v = o[key];
    if (v === null) {
      if (nullRejected.has(key) && !(place === 'iteration' && key === 'model')) return true;
    } else if (typeof v === 'object') {
      const next =
        place === 'iteration' || (place === 'usage' && key === 'iterations' && Array.isArray(v))
          ? 'iteration'
          : key === 'usage'
            ? 'usage'
            : 'plain';
      if (refusedWhole(v, depth + 1, next)) return true;
    }
  }
  return false;
}

/** Epoch ms of a timestamp in the one form ccusage accepts, or null. */
export function parseTimestamp(text: string): number | null {
  const m = timestampPattern.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
