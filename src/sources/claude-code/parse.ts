import type { Block } from '../../domain/blocks.ts';
import { textOf } from '../../domain/blocks.ts';
import type { MessageKind } from '../../domain/message.ts';
import type { SessionPatch } from '../../domain/session.ts';
import type { ParsedRecord, RecordParser } from '../source-format.ts';
import { contentHash } from '../shared/content-hash.ts';
import {
  FieldError,
  isObj,
  optBoolean,
  optObj,
  optString,
  optTimestamp,
  type Obj,
} from '../shared/fields.ts';
import { attachmentContent } from './attachment.ts';
import type { Content, Conversation } from './conversation.ts';
import { toBlocks } from './blocks.ts';
import { readMetadata, titleRank } from './metadata.ts';
import { describeClaudePath } from './paths.ts';
import { isCommandText, promptText } from './prompt-text.ts';
import { conversationTypes, knownRecordTypes, spawnTools, syntheticModel, taskResultKeys } from './schema.ts';
import { readAgentSidecar, type AgentSidecar } from './sidecar.ts';
import { systemContent } from './system.ts';
import { wellFormed } from './well-formed.ts';
import { messageUsage, usageFile, usageRows, withUsage, type UsageFile } from './usage.ts';

export const claudeSource = 'claude-code';

const titleLength = 120;

/** 2.0.x started a sidechain with this prompt to warm the cache: no task, readers may leave it out. */
const warmupPrompt = 'Warmup';

/** Session id of a sub-agent: unique under its parent, which owns the agent id. */
export function subagentSessionId(parentSessionId: string, agentId: string): string {
  return `${parentSessionId}/agent-${agentId}`;
}

function isSubagentSession(session: string): boolean {
  return session.includes('/agent-');
}

/** 2.1.x runs each compaction's summariser as a sub-agent `acompact-<hex>`, one file per compaction. */
function isCompactionAgent(session: string): boolean {
  return session.includes('/agent-acompact-');
}

const compactionTitle = 'Conversation compaction';

/** What a Task/Agent tool call said about the agent it spawns, kept until its result names the agent. */
type Spawn = { agentType?: string; description?: string };

/**
 * Parses one Claude Code transcript file. State kept between lines: the session the file is about
 * (metadata records carry no session id), the uuids seen (a `summary` names its conversation by a
 * leaf uuid, before or after it), the best title source per session, and open Task/Agent calls.
 */
export class ClaudeParser implements RecordParser {
  private readonly pathAgentId: string | null;
  private readonly pathParentSession: string | null;
  private readonly sidecar: AgentSidecar | null;
  private fileSession: string | null;
  private readonly sessionOfUuid = new Map<string, string | null>();
  private readonly pendingSummaries = new Map<string, string>();
  private readonly titleRanks = new Map<string, number>();
  private readonly spawns = new Map<string, Spawn>();
  /** Parents of the records with a uuid that became no message (progress lines, 30-45% of 2.1.x). */
  private readonly passedOver = new Map<string, string | null>();
  /** Per session, the record types met that this parser does not know (a newer Claude Code). */
  private readonly unknownTypes = new Map<string, Obj>();
  private readonly usageFile: UsageFile;

  constructor(file: string) {
    const described = describeClaudePath(file);
    this.pathAgentId = described.agentId;
    this.pathParentSession = described.parentSessionId;
    this.fileSession = described.agentId === null ? described.stem : null;
    this.sidecar = described.agentId === null ? null : readAgentSidecar(file, described.agentId);
    this.usageFile = usageFile(file);
  }

  parse(value: unknown, line: number): ParsedRecord | ParsedRecord[] {
    if (!isObj(value)) return this.problem('unknown', 'not a JSON object');
    const type = typeof value.type === 'string' ? value.type : 'unknown';
    let record: ParsedRecord;
    try {
      record = this.parseRecord(value, type, line);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      record = this.problem(type, error.message);
    }
    // Usage is counted as ccusage counts it, whatever became of the record (see usage.ts).
    return withUsage(record, usageRows(value, this.usageFile, line));
  }

  private problem(recordType: string, reason: string): ParsedRecord {
    return {
      recordType,
      sessionExternalId: this.fileSession,
      sessions: [],
      message: null,
      usage: null,
      images: [],
      problem: reason,
    };
  }

  private sessionOf(o: Obj): string | null {
    const recordSession = optString(o, 'sessionId');
    const agentId = optString(o, 'agentId') ?? this.pathAgentId;
    const isSubagentFile =
      this.pathAgentId !== null || (optBoolean(o, 'isSidechain') && agentId !== undefined);
    if (isSubagentFile && agentId !== null && agentId !== undefined) {
      const parent = recordSession ?? this.pathParentSession;
      if (parent !== null && parent !== undefined) return subagentSessionId(parent, agentId);
    }
    if (recordSession !== undefined) this.fileSession = recordSession;
    return recordSession ?? this.fileSession;
  }

  private parseRecord(o: Obj, type: string, line: number): ParsedRecord {
    if (o.type === undefined) throw new FieldError('type: missing (not a Claude Code record)');
    if (typeof o.type !== 'string') throw new FieldError('type: expected a string');
    const session = this.sessionOf(o);
    const timestamp = optTimestamp(o, 'timestamp');
    const uuid = optString(o, 'uuid');
    const sessions: SessionPatch[] = [];
    if (session !== null) sessions.push(this.sessionPatch(o, session, timestamp));
    const record: ParsedRecord = {
      recordType: type,
      sessionExternalId: session,
      sessions,
      message: null,
      usage: null,
      images: [],
      problem: null,
    };

    if (conversationTypes.has(type)) {
      if (uuid === undefined) throw new FieldError('uuid: missing on a conversation record');
      if (session === null) throw new FieldError('sessionId: missing and not known from the file');
      this.parseConversation(o, type, session, uuid, timestamp ?? null, line, record);
    } else {
      this.parseMetadata(o, type, session, record);
      if (!knownRecordTypes.has(type) && session !== null) this.noteUnknownType(type, session, record);
    }
    if (uuid !== undefined) {
      this.noteUuid(uuid, session, record);
      if (record.message === null) this.passedOver.set(uuid, optString(o, 'parentUuid') ?? null);
    }
    record.sessions = wellFormed(record.sessions);
    return record;
  }

  private sessionPatch(o: Obj, session: string, timestamp: number | undefined): SessionPatch {
    const patch: SessionPatch = { source: claudeSource, externalId: session };
    const cwd = optString(o, 'cwd');
    if (cwd !== undefined && cwd.length > 0) patch.cwd = cwd;
    const branch = optString(o, 'gitBranch');
    if (branch !== undefined && branch.length > 0) patch.gitBranch = branch;
    const version = optString(o, 'version');
    if (version !== undefined) patch.agentVersion = version;
    if (timestamp !== undefined) patch.timestamp = timestamp;
    const meta: Obj = {};
    const slug = optString(o, 'slug');
    if (slug !== undefined) meta.slug = slug;
    if (o.type === 'user' && typeof o.permissionMode === 'string') meta.permissionMode = o.permissionMode;
    if (isSubagentSession(session)) {
      patch.agentId = session.slice(session.indexOf('/agent-') + '/agent-'.length);
      patch.parentExternalId = session.slice(0, session.indexOf('/agent-'));
      if (this.sidecar?.toolUseId !== undefined) patch.parentToolCallId = this.sidecar.toolUseId;
      if (this.sidecar?.agentType !== undefined) meta.agentType = this.sidecar.agentType;
      if (this.sidecar?.description !== undefined) meta.description = this.sidecar.description;
      if (isCompactionAgent(session)) {
        meta.agentType ??= 'compaction';
        patch.fallbackTitle = compactionTitle;
      }
    }
    if (Object.keys(meta).length > 0) patch.meta = meta;
    return patch;
  }

  /**
   * The nearest ancestor that is a message: a progress line (or a record type newer than this
   * parser) sits in the uuid chain without becoming one, and a chain walked through messages must
   * not stop at it. Only lines of this file, read in this pass, are known; others are kept as named.
   */
  private nearestMessage(parentUuid: string | null): string | null {
    let current = parentUuid;
    for (let hops = 0; current !== null && hops < this.passedOver.size; hops++) {
      const next = this.passedOver.get(current);
      if (next === undefined) return current;
      current = next;
    }
    return current;
  }

  /**
   * A record type newer than this parser: its line stays raw (nothing to normalise, nothing wrong
   * with it), and the session names the type so a reader can tell what it has not seen. The names
   * are a set (type → true) so that a later import of the grown file merges into it.
   */
  private noteUnknownType(type: string, session: string, record: ParsedRecord): void {
    let types = this.unknownTypes.get(session);
    if (types === undefined) this.unknownTypes.set(session, (types = {}));
    if (types[type] === true) return;
    types[type] = true;
    const patch = this.patchFor(record, session);
    patch.meta = { ...patch.meta, unknownRecordTypes: { ...types } };
  }

  /** Remembers where a uuid lives; a summary read earlier that ends at it now titles its session. */
  private noteUuid(uuid: string, session: string | null, record: ParsedRecord): void {
    this.sessionOfUuid.set(uuid, session);
    const summary = this.pendingSummaries.get(uuid);
    if (summary === undefined) return;
    this.pendingSummaries.delete(uuid);
    if (session !== null) this.setTitle(record, session, summary, titleRank.summary);
  }

  private setTitle(record: ParsedRecord, session: string, title: string, rank: number): void {
    if (rank < (this.titleRanks.get(session) ?? 0)) return;
    this.titleRanks.set(session, rank);
    this.patchFor(record, session).title = title;
  }

  private patchFor(record: ParsedRecord, session: string): SessionPatch {
    let patch = record.sessions.find((p) => p.externalId === session);
    if (patch === undefined) {
      patch = { source: claudeSource, externalId: session };
      record.sessions.push(patch);
    }
    return patch;
  }

  private parseConversation(
    o: Obj,
    type: string,
    session: string,
    uuid: string,
    timestamp: number | null,
    line: number,
    record: ParsedRecord,
  ): void {
    const conversation: Conversation = { o, session, uuid, timestamp, record, meta: {}, images: [] };
    const content = this.contentOf(conversation, type);
    const { role, kind, model, responseId } = content;
    const blocks = wellFormed(content.blocks);
    const { images } = conversation;
    const meta = conversation.meta;
    if (optBoolean(o, 'isSidechain')) meta.isSidechain = true;
    const logicalParent = optString(o, 'logicalParentUuid');
    if (logicalParent !== undefined) meta.logicalParentUuid = logicalParent;
    const parentUuid = optString(o, 'parentUuid') ?? null;
    const parent = this.nearestMessage(parentUuid);
    if (parent !== parentUuid) meta.parentUuid = parentUuid;

    record.images = images;
    record.message = {
      source: claudeSource,
      sessionExternalId: session,
      externalId: uuid,
      parentExternalId: parent,
      role,
      kind,
      speaker: null,
      blocks,
      text: textOf(blocks),
      model,
      usage: type === 'assistant' && model !== syntheticModel ? messageUsageOf(o) : null,
      responseId,
      timestamp,
      seq: line,
      contentHash: contentHash(role, blocks),
      meta: wellFormed(meta),
    };
  }

  private contentOf(c: Conversation, type: string): Content {
    if (type === 'system') return systemContent(c);
    if (type === 'attachment') {
      const content = attachmentContent(c);
      if (content.kind === 'message') this.titleFrom(c, content.blocks);
      return content;
    }
    const message = optObj(c.o, 'message');
    if (message === undefined) throw new FieldError('message: missing');
    const blocks = toBlocks(message.content ?? '', 'message.content', c.images);
    return type === 'assistant' ? this.assistantContent(c, message, blocks) : this.userContent(c, blocks);
  }

  private assistantContent(c: Conversation, message: Obj, blocks: Block[]): Content {
    const { o, meta, record } = c;
    const model = optString(message, 'model', 'message.model') ?? null;
    const responseId = optString(message, 'id', 'message.id') ?? null;
    const requestId = optString(o, 'requestId');
    if (requestId !== undefined) meta.requestId = requestId;
    const stop = optString(message, 'stop_reason', 'message.stop_reason');
    if (stop !== undefined) meta.stopReason = stop;
    // Billing facts beside the token counts: the tier served, and server-side tool calls (web search).
    const usage = message.usage;
    if (isObj(usage)) {
      if (typeof usage.service_tier === 'string') meta.serviceTier = usage.service_tier;
      if (isObj(usage.server_tool_use)) meta.serverToolUse = usage.server_tool_use;
    }
    // A synthetic message was made locally (an API error, an interruption): it names no model.
    if (model !== syntheticModel && model !== null) record.sessions[0]!.model = model;
    this.rememberSpawns(blocks);
    const kind: MessageKind = optBoolean(o, 'isApiErrorMessage') ? 'api_error' : 'message';
    return { role: 'assistant', kind, blocks, model, responseId };
  }

  private userContent(c: Conversation, blocks: Block[]): Content {
    const isToolResult = blocks.length > 0 && blocks.every((b) => b.type === 'tool_result');
    const kind = userKind(c.o, blocks, isToolResult);
    this.linkSubagent(c.o, blocks, c.session, c.record, c.meta);
    if (kind === 'message') {
      const text = textOf(blocks).trim();
      this.titleFrom(c, blocks);
      if (text === warmupPrompt && isSubagentSession(c.session) && c.o.parentUuid == null) {
        const patch = c.record.sessions[0]!;
        patch.meta = { ...patch.meta, warmup: true };
      }
    }
    return { role: isToolResult ? 'tool' : 'user', kind, blocks, model: null, responseId: null };
  }

  /** A prompt the user typed titles the session, unless an earlier one did. */
  private titleFrom(c: Conversation, blocks: Block[]): void {
    // The summariser's prompt is the harness's, the same in every compaction.
    if (isCompactionAgent(c.session)) return;
    const prompt = promptText(blocks);
    if (prompt.length > 0) c.record.sessions[0]!.fallbackTitle = prompt.slice(0, titleLength);
  }

  /** Task (Agent since 2.1.63) calls: what they asked for, to describe the sub-agent their result names. */
  private rememberSpawns(blocks: Block[]): void {
    for (const block of blocks) {
      if (block.type !== 'tool_use' || !spawnTools.has(block.name) || !isObj(block.input)) continue;
      const spawn: Spawn = {};
      if (typeof block.input.subagent_type === 'string') spawn.agentType = block.input.subagent_type;
      if (typeof block.input.description === 'string') spawn.description = block.input.description;
      this.spawns.set(block.id, spawn);
    }
  }

  /** A Task/Agent result names the sub-agent it ran: link that sub-agent's session to this call. */
  private linkSubagent(o: Obj, blocks: Block[], session: string, record: ParsedRecord, meta: Obj): void {
    const result = o.toolUseResult;
    if (!isObj(result)) return;
    const summary: Obj = {};
    for (const key of taskResultKeys) if (result[key] !== undefined) summary[key] = result[key];
    if (Object.keys(summary).length > 0) meta.toolUseResult = summary;
    const agentId = typeof result.agentId === 'string' ? result.agentId : undefined;
    const call = blocks.find((b) => b.type === 'tool_result');
    if (agentId === undefined || call?.type !== 'tool_result' || isSubagentSession(session)) return;
    const spawn = this.spawns.get(call.toolUseId);
    this.spawns.delete(call.toolUseId);
    record.sessions.push({
      source: claudeSource,
      externalId: subagentSessionId(session, agentId),
      parentExternalId: session,
      parentToolCallId: call.toolUseId,
      agentId,
      ...(spawn && Object.keys(spawn).length > 0 ? { meta: { ...spawn } } : {}),
    });
  }

  private parseMetadata(o: Obj, type: string, session: string | null, record: ParsedRecord): void {
    const facts = readMetadata(o, type);
    if (facts.summary !== undefined) {
      // A summary can sit in another session's file, even ahead of its leaf: place it by the leaf.
      const { text, leafUuid } = facts.summary;
      const leafSession = this.sessionOfUuid.get(leafUuid);
      if (leafSession === undefined) this.pendingSummaries.set(leafUuid, text);
      else if (leafSession !== null) this.setTitle(record, leafSession, text, titleRank.summary);
      // Other files hold the leaf too (the session it ends, copies in resumed ones), imported
      // before or after this one: the store titles each session that holds it and has no title.
      record.leafTitle = { leafExternalId: leafUuid, title: text };
    }
    if (session === null) return;
    if (facts.title !== undefined) this.setTitle(record, session, facts.title.text, facts.title.rank);
    if (facts.meta !== undefined) {
      const patch = this.patchFor(record, session);
      patch.meta = { ...patch.meta, ...facts.meta };
    }
    if (facts.subagent !== undefined && !isSubagentSession(session)) {
      const { agentId, toolCallId } = facts.subagent;
      record.sessions.push({
        source: claudeSource,
        externalId: subagentSessionId(session, agentId),
        parentExternalId: session,
        parentToolCallId: toolCallId,
        agentId,
      });
    }
  }
}

function userKind(o: Obj, blocks: Block[], isToolResult: boolean): MessageKind {
  if (optBoolean(o, 'isCompactSummary')) return 'compact_summary';
  if (isToolResult) return 'tool_result';
  if (optBoolean(o, 'isMeta')) return 'meta';
  return isCommandText(textOf(blocks)) ? 'command' : 'message';
}

function messageUsageOf(o: Obj) {
  const message = o.message;
  return isObj(message) ? messageUsage(message) : null;
}
