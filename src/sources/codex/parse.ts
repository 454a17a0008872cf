import { textOf } from '../../domain/blocks.ts';
import type { SessionPatch } from '../../domain/session.ts';
import type { ParsedImage, ParsedRecord, ParsedUsage, RecordParser } from '../source-format.ts';
import { contentHash } from '../shared/content-hash.ts';
import { FieldError, isObj, optObj, optString, optTimestamp, reqString, type Obj } from '../shared/fields.ts';
import { isLegacyMeta } from './detect.ts';
import { agentMessageDraft, completedItemDraft, timelineDraft, userMessageDraft } from './events.ts';
import { draftMessage, itemDraft, type Draft } from './items.ts';
import { InheritedPrefix, uuidV7Time } from './lineage.ts';
import { MessageMirror, type MirrorDecision } from './mirror.ts';
import { describeRolloutPath } from './paths.ts';
import { TurnHistory } from './rollback.ts';
import { codexSource, envelopeTypes, isKnownEvent, responseItemTypes, turnStartEvents } from './schema.ts';
import { readSessionMeta } from './session-meta.ts';
import { titleOf } from './title.ts';
import { UsageCounter, type UsagePlace } from './usage-counter.ts';

/** What one line says before it becomes a record: a message draft (or none) and how to key it. */
type Outcome = { draft: Draft | null; mirror?: 'item' | 'event' | 'completed'; usage?: ParsedUsage | null };

/**
 * Parses one Codex rollout. State kept between lines: the thread (from the file name, else the
 * first session_meta), the turn's model (from turn_context, else the thread's settings), the last cumulative token
 * totals, the copied-parent-history gate and the recent messages that may be mirrored.
 *
 * Codex items have no ids: a message's key is the thread, the rollout's time stamp and the line,
 * which is stable because a rollout is only ever appended to (a resume appends to the same file).
 */
export class CodexParser implements RecordParser {
  private readonly stamp: string;
  /** The UUIDs of the file name: the first session_meta may say which of them is the thread. */
  private readonly namedIds: string[];
  private threadId: string | null;
  private ownMetaSeen = false;
  private model: string | null = null;
  /** Whether a turn_context named the model (thread settings only stand in until one does). */
  private turnNamedModel = false;
  private readonly usage = new UsageCounter();
  private titled = false;
  private readonly prefix = new InheritedPrefix();
  private readonly mirror = new MessageMirror();
  private readonly history = new TurnHistory();

  constructor(file: string) {
    const described = describeRolloutPath(file);
    this.threadId = described.threadId;
    this.stamp = described.stamp;
    this.namedIds = described.ids;
  }

  parse(value: unknown, line: number): ParsedRecord | ParsedRecord[] {
    if (!isObj(value)) return this.problem('unknown', 'not a JSON object');
    const type = typeof value.type === 'string' ? value.type : 'unknown';
    try {
      return this.parseRecord(value, line);
    } catch (error) {
      if (error instanceof FieldError) return this.problem(type, error.message);
      throw error;
    }
  }

  private problem(recordType: string, reason: string): ParsedRecord {
    return { ...this.empty(recordType), sessions: [], problem: reason };
  }

  /** A record or item of a type we do not know: kept raw, in its session, and reported on its line. */
  private unknown(recordType: string, timestamp: number | undefined, reason: string): ParsedRecord {
    return { ...this.empty(recordType, timestamp), problem: reason };
  }

  private empty(recordType: string, timestamp?: number): ParsedRecord {
    const sessions: SessionPatch[] = [];
    if (this.threadId !== null) {
      const patch: SessionPatch = { source: codexSource, externalId: this.threadId };
      if (timestamp !== undefined) patch.timestamp = timestamp;
      sessions.push(patch);
    }
    return {
      recordType,
      sessionExternalId: this.threadId,
      sessions,
      message: null,
      usage: null,
      images: [],
      problem: null,
    };
  }

  private parseRecord(o: Obj, line: number): ParsedRecord | ParsedRecord[] {
    const timestamp = optTimestamp(o, 'timestamp');
    const type = o.type;
    if (type === undefined) return this.legacyLine(o, line, timestamp);
    if (typeof type !== 'string') throw new FieldError('type: expected a string');
    if (!envelopeTypes.has(type)) {
      // The oldest rollouts wrote response items bare, without the envelope.
      if (responseItemTypes.has(type) && !('payload' in o))
        return this.item(o, line, timestamp, 'response_item');
      return this.unknown(type, timestamp, `unknown record type "${type}" (a newer Codex?): kept raw only`);
    }
    const payload = optObj(o, 'payload');
    if (payload === undefined) throw new FieldError('payload: missing');
    switch (type) {
      case 'session_meta':
        return this.sessionMeta(payload, line, timestamp);
      case 'turn_context':
        return this.turnContext(payload, timestamp);
      case 'response_item':
        return this.item(payload, line, timestamp, type);
      case 'event_msg':
        return this.event(payload, line, timestamp);
      case 'compacted':
        return this.compacted(payload, line, timestamp);
      case 'inter_agent_communication':
        return this.interAgent(payload, line, timestamp);
      case 'token_usage_record':
        return {
          ...this.empty(type, timestamp),
          usage: this.usage.usageRecord(payload, this.usagePlace(line, timestamp)),
        };
      default:
        return this.empty(type, timestamp);
    }
  }

  private legacyLine(o: Obj, line: number, timestamp: number | undefined): ParsedRecord {
    if (o.record_type !== undefined) return this.empty('state', timestamp);
    if (isLegacyMeta(o)) return this.sessionMeta(o, line, timestamp);
    throw new FieldError('type: missing (neither an envelope nor a bare item)');
  }

  private sessionMeta(p: Obj, line: number, timestamp: number | undefined): ParsedRecord {
    const meta = readSessionMeta(p);
    const own = !this.ownMetaSeen && (line === 1 || meta.threadId === this.threadId);
    if (!own) {
      // Another thread's meta opens a copy of its history; our own again (after a resume) says nothing new.
      if (meta.threadId !== undefined && meta.threadId !== this.threadId) this.prefix.foreignMeta();
      return this.empty('session_meta', timestamp);
    }
    this.ownMetaSeen = true;
    // The name holds two UUIDs (a segment, or a fork): the first session_meta says which is the thread.
    if (line === 1 && meta.threadId !== undefined && this.namedIds.includes(meta.threadId.toLowerCase()))
      this.threadId = meta.threadId.toLowerCase();
    if (this.threadId === null) {
      if (meta.threadId === undefined) throw new FieldError('payload.id: missing on the first session_meta');
      this.threadId = meta.threadId;
    }
    const createdAt = uuidV7Time(this.threadId) ?? meta.createdAt ?? timestamp ?? null;
    this.prefix.own(this.threadId, createdAt, meta.child);
    const record = this.empty('session_meta', timestamp);
    const patch = record.sessions[0]!;
    Object.assign(patch, meta.patch);
    if (meta.threadId !== undefined && meta.threadId !== this.threadId)
      patch.meta = { ...patch.meta, metaThreadId: meta.threadId };
    return record;
  }

  private turnContext(p: Obj, timestamp: number | undefined): ParsedRecord {
    this.prefix.turn(optString(p, 'turn_id', 'payload.turn_id'));
    this.mirror.reset();
    const model =
      optString(p, 'model', 'payload.model') ??
      optString(p, 'model_slug', 'payload.model_slug') ??
      collaborationModel(p);
    const record = this.empty('turn_context', timestamp);
    if (model !== undefined && model.length > 0) {
      this.model = model;
      // A copied parent's turn says nothing of the child's model.
      if (!this.prefix.active) this.turnNamedModel = true;
      if (!this.prefix.active && record.sessions[0]) record.sessions[0].model = model;
    }
    return record;
  }

  /**
   * The thread's settings names a model: the model until a turn_context names one (a thread whose
   * turns wrote none, or the lines before the first turn); a turn_context's model always wins.
   */
  private settingsApplied(p: Obj, timestamp: number | undefined): ParsedRecord {
    const record = this.empty('event_msg', timestamp);
    const settings = p.thread_settings;
    const model = isObj(settings) ? optString(settings, 'model', 'payload.thread_settings.model') : undefined;
    if (model === undefined || model.length === 0 || this.prefix.active || this.turnNamedModel) return record;
    this.model = model;
    if (record.sessions[0]) record.sessions[0].model = model;
    return record;
  }

  private item(p: Obj, line: number, timestamp: number | undefined, recordType: string): ParsedRecord {
    const type = reqString(p, 'type', 'payload.type');
    if (!responseItemTypes.has(type))
      return this.unknown(recordType, timestamp, `unknown response_item type "${type}": kept raw only`);
    const images: ParsedImage[] = [];
    const draft = itemDraft(p, images, this.keyOf(line));
    // Only user and assistant messages have copies among the events.
    const mirrored = p.type === 'message' && (draft?.role === 'user' || draft?.role === 'assistant');
    return this.finish(recordType, line, timestamp, { draft, mirror: mirrored ? 'item' : undefined }, images);
  }

  private event(p: Obj, line: number, timestamp: number | undefined): ParsedRecord | ParsedRecord[] {
    const type = optString(p, 'type', 'payload.type') ?? 'unknown';
    const images: ParsedImage[] = [];
    let outcome: Outcome;
    if (turnStartEvents.has(type)) {
      this.prefix.turn(optString(p, 'turn_id', 'payload.turn_id'));
      this.mirror.reset();
      outcome = { draft: null };
    } else if (type === 'thread_settings_applied') {
      this.prefix.settingsApplied(optString(p, 'thread_id', 'payload.thread_id'));
      return this.settingsApplied(p, timestamp);
    } else if (type === 'token_count') {
      outcome = { draft: null, usage: this.usage.tokenCount(p, this.usagePlace(line, timestamp)) };
    } else if (type === 'user_message') {
      outcome = { draft: userMessageDraft(p, images), mirror: 'event' };
    } else if (type === 'agent_message') {
      outcome = { draft: agentMessageDraft(p), mirror: 'event' };
    } else if (type === 'item_completed') {
      const draft = completedItemDraft(p, images);
      outcome = { draft, mirror: draft === null ? undefined : 'completed' };
    } else if (type === 'thread_name_updated') {
      const record = this.empty('event_msg', timestamp);
      const name = optString(p, 'thread_name', 'payload.thread_name');
      if (name !== undefined && record.sessions[0] && !this.prefix.active) record.sessions[0].title = name;
      return record;
    } else if (type === 'thread_rolled_back') {
      return this.rolledBack(p, line, timestamp);
    } else if (isKnownEvent(type)) {
      outcome = { draft: timelineDraft(type, p) };
    } else {
      return this.unknown('event_msg', timestamp, `unknown event_msg type "${type}": kept raw only`);
    }
    return this.finish('event_msg', line, timestamp, outcome, images);
  }

  /**
   * The event itself, then every stored message of the turns it undid, again, marked `rewound`
   * (the mark Gemini's `$rewindTo` leaves).
   */
  private rolledBack(p: Obj, line: number, timestamp: number | undefined): ParsedRecord[] {
    const turns = p.num_turns;
    const marked = this.prefix.active ? [] : this.history.rollBack(typeof turns === 'number' ? turns : 0);
    const event = this.finish(
      'event_msg',
      line,
      timestamp,
      { draft: timelineDraft('thread_rolled_back', p) },
      [],
    );
    return [event, ...marked.map((message) => ({ ...this.empty('event_msg', timestamp), message }))];
  }

  private compacted(p: Obj, line: number, timestamp: number | undefined): ParsedRecord {
    const summary = optString(p, 'message', 'payload.message') ?? '';
    const meta: Record<string, unknown> = {};
    if (Array.isArray(p.replacement_history)) meta.replacementHistoryItems = p.replacement_history.length;
    for (const key of ['window_number', 'window_id', 'previous_window_id'] as const)
      if (p[key] !== undefined && p[key] !== null) meta[key] = p[key];
    const draft: Draft = {
      role: 'user',
      kind: 'compact_summary',
      blocks: summary.length > 0 ? [{ type: 'text', text: summary }] : [],
      meta,
    };
    return this.finish('compacted', line, timestamp, { draft }, []);
  }

  private interAgent(p: Obj, line: number, timestamp: number | undefined): ParsedRecord {
    const content = optString(p, 'content', 'payload.content');
    const author = optString(p, 'author', 'payload.author');
    const draft: Draft = {
      role: 'user',
      kind: 'meta',
      blocks: content !== undefined && content.length > 0 ? [{ type: 'text', text: content }] : [],
      meta: { recipient: p.recipient ?? null, encrypted: typeof p.encrypted_content === 'string' },
      speaker: { name: author ?? 'agent', role: 'agent' },
    };
    return this.finish('inter_agent_communication', line, timestamp, { draft }, []);
  }

  private keyOf(line: number): string {
    return `${this.threadId}:${this.stamp}:${line}`;
  }

  /** Turns a draft into the record's message, unless it is inherited or a mirror. */
  private finish(
    recordType: string,
    line: number,
    timestamp: number | undefined,
    outcome: Outcome,
    images: ParsedImage[],
  ): ParsedRecord {
    const record = this.empty(recordType, timestamp);
    if (this.prefix.active) return record;
    record.usage = outcome.usage ?? null;
    const { draft } = outcome;
    if (draft === null) return record;
    if (this.threadId === null)
      throw new FieldError(
        'thread unknown: the file neither starts with session_meta nor is named after its thread',
      );
    const externalId = this.keyOf(line);
    const hash = contentHash(draft.role, draft.blocks);
    const text = textOf(draft.blocks);
    let decision: MirrorDecision = { keep: true, externalId, revises: false };
    if (outcome.mirror !== undefined) {
      const said = { role: draft.role, text, externalId, contentHash: hash };
      decision =
        outcome.mirror === 'item'
          ? this.mirror.onItem(said)
          : outcome.mirror === 'event'
            ? this.mirror.onEvent(said)
            : this.mirror.onCompleted(said);
    }
    if (!decision.keep) return record;
    record.images = images;
    record.message = draftMessage(draft, {
      session: this.threadId,
      externalId: decision.externalId,
      seq: line,
      timestamp: timestamp ?? null,
      model: this.model,
      contentHash: hash,
      text,
    });
    if (decision.revises) record.message.revisable = true;
    this.history.add(record.message);
    if (!this.titled && draft.role === 'user' && draft.kind === 'message' && text.trim().length > 0) {
      this.titled = true;
      record.sessions[0]!.fallbackTitle = titleOf(text);
    }
    return record;
  }

  private usagePlace(line: number, timestamp: number | undefined): UsagePlace {
    return {
      threadId: this.threadId,
      model: this.model,
      lineKey: `${this.stamp}:${line}`,
      timestamp,
      inherited: this.prefix.active,
    };
  }
}

/** `collaboration_mode.settings.model`: the turn's model when `model` itself is missing. */
function collaborationModel(p: Obj): string | undefined {
  const mode = p.collaboration_mode;
  if (!isObj(mode) || !isObj(mode.settings)) return undefined;
  const model = mode.settings.model;
  return typeof model === 'string' ? model : undefined;
}
