import type { MessageInput } from '../../domain/message.ts';
import type { ParsedRecord, RecordParser } from '../source-format.ts';
import { FieldError, isObj, optObj, reqString, type Obj } from '../shared/fields.ts';
import { coalesceCopies, type PriorCopy } from './coalesce.ts';
import { markRewound, toGeminiMessage } from './message.ts';
import { describeGeminiPath } from './paths.ts';
import { emptyRecord, messageRecord, problemRecord } from './record.ts';
import { readProjectRoot } from './project-root.ts';
import { headerPatches } from './session.ts';

type Parsed = ParsedRecord | readonly ParsedRecord[];

/**
 * Parses one Gemini CLI JSON Lines chat. A message is appended again each time it changes (tool
 * results, tokens): every copy is a revisable message, so the last copy wins and the earlier ones
 * become revisions. State kept between lines: the session, the last copy of every message and
 * which of them are in the conversation now, so that `$rewindTo` can mark the messages it drops
 * (needs every earlier line: the format replays them when an import resumes mid-file).
 */
export class GeminiChatParser implements RecordParser {
  private readonly path: ReturnType<typeof describeGeminiPath>;
  /** The project root (`.project_root` beside `chats/`), read once when the parser is made. */
  private readonly cwd: string | null;
  private session: string | null;
  private headerSeen = false;
  /** Ids of the messages in the conversation now, in order (a set beside it for lookups). */
  private live: string[] = [];
  private liveIds = new Set<string>();
  private readonly known = new Map<string, MessageInput>();
  /** For each copy given, the copy of its message given before it (what `coalesce` needs to know). */
  private readonly priors = new WeakMap<MessageInput, PriorCopy>();

  constructor(file: string) {
    this.path = describeGeminiPath(file);
    this.cwd = readProjectRoot(this.path.projectPath);
    // A sub-agent's chat is named after its session id: a fallback if the header line is lost.
    this.session = this.path.parentSessionId !== null ? this.path.stem : null;
  }

  parse(value: unknown, line: number): Parsed {
    if (!isObj(value)) return problemRecord('unknown', this.session, 'not a JSON object');
    const kind = recordKind(value);
    const type = kind === 'message' && typeof value.type === 'string' ? value.type : kind;
    try {
      switch (kind) {
        case '$rewindTo':
          return this.rewind(reqString(value, '$rewindTo'));
        case '$set':
          return this.set(optObj(value, '$set') ?? {}, line);
        case 'header':
          return this.header(value, line);
        case 'message':
          return this.message(value, type, line);
        case 'unknown':
          return problemRecord(
            type,
            this.session,
            'not a Gemini chat record (no id, $set, $rewindTo or header)',
          );
        default:
          return kind satisfies never;
      }
    } catch (error) {
      if (error instanceof FieldError) return problemRecord(type, this.session, error.message);
      throw error;
    }
  }

  private header(o: Obj, line: number): Parsed {
    const id = reqString(o, 'sessionId');
    if (!this.headerSeen) this.session = id;
    this.headerSeen = true;
    const record = emptyRecord(
      'header',
      this.session,
      headerPatches(o, this.session ?? id, this.path, this.cwd),
    );
    if (!Array.isArray(o.messages) || o.messages.length === 0) return record;
    // A header holding messages (a chat migrated whole): read like a `$set` of them.
    const set = this.set({ messages: o.messages }, line);
    return [record, ...(Array.isArray(set) ? set.slice(1) : [])];
  }

  private message(o: Obj, type: string, line: number): ParsedRecord {
    const session = this.session;
    if (session === null)
      return problemRecord(
        type,
        null,
        'a message before the session header (the first line is missing or broken)',
      );
    const id = reqString(o, 'id');
    const earlier = this.known.get(id);
    const parent = earlier !== undefined ? earlier.parentExternalId : (this.live.at(-1) ?? null);
    const converted = toGeminiMessage(o, { session, parent, seq: line });
    this.remember(id, converted.message);
    if (!this.liveIds.has(id)) {
      this.live.push(id);
      this.liveIds.add(id);
    }
    return messageRecord(type, converted);
  }

  /**
   * Records of lines read and committed together, in order, before any is stored: the copies of a
   * message that a later copy among them makes unnecessary lose their message (coalesce.ts).
   */
  coalesce(records: readonly ParsedRecord[]): ParsedRecord[] {
    return coalesceCopies(records, (version) => this.priors.get(version));
  }

  /** `version` is now the message's last copy; the copy before it is remembered beside it. */
  private remember(id: string, version: MessageInput): void {
    const before = this.known.get(id);
    this.priors.set(
      version,
      before === undefined
        ? 'none'
        : { contentHash: before.contentHash, revisable: before.revisable === true },
    );
    this.known.set(id, version);
  }

  /** Header fields; a `messages` list is a checkpoint that replaces the conversation (a history rewrite). */
  private set(fields: Obj, line: number): Parsed {
    const session = this.session;
    if (session === null) return emptyRecord('$set', null);
    const base = emptyRecord('$set', session, headerPatches(fields, session, this.path, this.cwd));
    if (!Array.isArray(fields.messages)) return base;
    const records: ParsedRecord[] = [base];
    const live: string[] = [];
    for (let i = 0; i < fields.messages.length; i++) {
      const m: unknown = fields.messages[i];
      try {
        if (!isObj(m)) throw new FieldError('expected a message object');
        const id = reqString(m, 'id');
        const parent = live.at(-1) ?? null;
        live.push(id);
        // Messages read before keep their own copies: the rewrite renders them again from the
        // model's side and may mask tool output. Only new ones (a compression summary) are added.
        if (this.known.has(id)) continue;
        const converted = toGeminiMessage(m, { session, parent, seq: line });
        converted.message.revisable = false;
        this.remember(id, converted.message);
        records.push(messageRecord('$set', converted));
      } catch (error) {
        if (!(error instanceof FieldError)) throw error;
        records.push(problemRecord('$set', session, `$set.messages[${i}]: ${error.message}`));
      }
    }
    this.live = live;
    this.liveIds = new Set(live);
    return records;
  }

  /** Drops `target` and everything after it, as Gemini does (everything when it is not found). */
  private rewind(target: string): Parsed {
    const at = this.live.indexOf(target);
    const dropped = at === -1 ? this.live.splice(0) : this.live.splice(at);
    const records: ParsedRecord[] = [emptyRecord('$rewindTo', this.session)];
    for (const id of dropped) {
      this.liveIds.delete(id);
      const last = this.known.get(id);
      if (last === undefined) continue;
      const rewound = markRewound(last);
      this.remember(id, rewound);
      records.push({ ...emptyRecord('$rewindTo', rewound.sessionExternalId), message: rewound });
    }
    return records;
  }
}

/** Which record a line is, tested in the order Gemini's own reader tests them. */
function recordKind(o: Obj): '$rewindTo' | 'message' | '$set' | 'header' | 'unknown' {
  if (typeof o.$rewindTo === 'string') return '$rewindTo';
  if (typeof o.id === 'string') return 'message';
  if (isObj(o.$set)) return '$set';
  if (typeof o.sessionId === 'string' && typeof o.projectHash === 'string') return 'header';
  return 'unknown';
}
