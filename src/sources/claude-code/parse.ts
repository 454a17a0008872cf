import type { Block } from '../../domain/blocks.ts';
import { textOf } from '../../domain/blocks.ts';
import type { MessageKind, Role } from '../../domain/message.ts';
import type { SessionPatch } from '../../domain/session.ts';
import type { ParsedImage, ParsedRecord, ParsedUsage, RecordParser } from '../source-format.ts';
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
import { toBlocks } from './blocks.ts';
import { readUsage, usageKey } from './usage.ts';
import { describeClaudePath } from './paths.ts';
import { conversationTypes, envelopeKeys, syntheticModel, taskResultKeys } from './schema.ts';

export const claudeSource = 'claude-code';

const titleLength = 120;

/** Session id of a sub-agent: unique under its parent, which owns the agent id. */
export function subagentSessionId(parentSessionId: string, agentId: string): string {
  return `${parentSessionId}/agent-${agentId}`;
}

/**
 * Parses one Claude Code transcript file. State kept between lines: the session the file is
 * about (metadata records carry no session id) and the uuids seen, to place `summary` titles.
 */
export class ClaudeParser implements RecordParser {
  private readonly pathAgentId: string | null;
  private readonly pathParentSession: string | null;
  private fileSession: string | null;
  private readonly seenUuids = new Set<string>();

  constructor(file: string) {
    const described = describeClaudePath(file);
    this.pathAgentId = described.agentId;
    this.pathParentSession = described.parentSessionId;
    this.fileSession = described.agentId === null ? described.stem : null;
  }

  parse(value: unknown, line: number): ParsedRecord {
    if (!isObj(value)) return this.problem('unknown', 'not a JSON object');
    const type = typeof value.type === 'string' ? value.type : 'unknown';
    try {
      return this.parseRecord(value, type, line);
    } catch (error) {
      if (error instanceof FieldError) return this.problem(type, error.message);
      throw error;
    }
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
    if (o.type !== undefined && typeof o.type !== 'string') throw new FieldError('type: expected a string');
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
      this.seenUuids.add(uuid);
      this.parseConversation(o, type, session, uuid, timestamp ?? null, line, record);
      return record;
    }
    if (uuid !== undefined) this.seenUuids.add(uuid);
    this.parseMetadata(o, type, session, record);
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
    const agentId = optString(o, 'agentId') ?? this.pathAgentId;
    if (agentId !== null && agentId !== undefined && session.includes('/agent-')) {
      patch.agentId = agentId;
      patch.parentExternalId = session.slice(0, session.indexOf('/agent-'));
    }
    const slug = optString(o, 'slug');
    if (slug !== undefined) patch.meta = { slug };
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
    const images: ParsedImage[] = [];
    let role: Role;
    let kind: MessageKind = 'message';
    let blocks: Block[];
    let model: string | null = null;
    let responseId: string | null = null;
    const meta: Record<string, unknown> = {};

    if (type === 'system') {
      role = 'system';
      const subtype = optString(o, 'subtype');
      kind = systemKind(subtype);
      const content = o.content;
      blocks = typeof content === 'string' && content.length > 0 ? [{ type: 'text', text: content }] : [];
      for (const [key, value] of Object.entries(o)) if (!envelopeKeys.has(key)) meta[key] = value;
      if (subtype !== undefined) meta.subtype = subtype;
    } else {
      const message = optObj(o, 'message');
      if (message === undefined) throw new FieldError('message: missing');
      blocks = toBlocks(message.content ?? '', 'message.content', images);
      if (type === 'assistant') {
        role = 'assistant';
        model = optString(message, 'model', 'message.model') ?? null;
        responseId = optString(message, 'id', 'message.id') ?? null;
        const requestId = optString(o, 'requestId');
        if (requestId !== undefined) meta.requestId = requestId;
        const stop = optString(message, 'stop_reason', 'message.stop_reason');
        if (stop !== undefined) meta.stopReason = stop;
        if (optBoolean(o, 'isApiErrorMessage')) kind = 'api_error';
        record.usage = this.usageOf(
          message,
          responseId,
          requestId,
          uuid,
          optBoolean(o, 'isSidechain'),
          model,
          timestamp,
        );
        if (model !== null && model !== syntheticModel) record.sessions[0]!.model = model;
      } else {
        const isToolResult = blocks.length > 0 && blocks.every((b) => b.type === 'tool_result');
        role = isToolResult ? 'tool' : 'user';
        kind = userKind(o, blocks, isToolResult);
        this.linkSubagent(o, blocks, session, record, meta);
        if (kind === 'message') {
          const text = textOf(blocks).trim();
          if (text.length > 0) record.sessions[0]!.fallbackTitle = text.slice(0, titleLength);
        }
      }
    }
    if (optBoolean(o, 'isSidechain')) meta.isSidechain = true;
    const logicalParent = optString(o, 'logicalParentUuid');
    if (logicalParent !== undefined) meta.logicalParentUuid = logicalParent;

    record.images = images;
    record.message = {
      source: claudeSource,
      sessionExternalId: session,
      externalId: uuid,
      parentExternalId: optString(o, 'parentUuid') ?? null,
      role,
      kind,
      speaker: null,
      blocks,
      text: textOf(blocks),
      model,
      usage: record.usage === null ? null : usageOnly(record.usage),
      responseId,
      timestamp,
      seq: line,
      contentHash: contentHash(role, blocks),
      meta,
    };
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
    if (agentId === undefined || call?.type !== 'tool_result' || session.includes('/agent-')) return;
    record.sessions.push({
      source: claudeSource,
      externalId: subagentSessionId(session, agentId),
      parentExternalId: session,
      parentToolCallId: call.toolUseId,
      agentId,
    });
  }

  private usageOf(
    message: Obj,
    responseId: string | null,
    requestId: string | undefined,
    uuid: string,
    isSidechain: boolean,
    model: string | null,
    timestamp: number | null,
  ): ParsedUsage | null {
    const usage = optObj(message, 'usage', 'message.usage');
    if (usage === undefined || timestamp === null) return null;
    return {
      dedupKey: usageKey(responseId, requestId, isSidechain, uuid),
      model,
      timestamp,
      ...readUsage(usage),
    };
  }

  private parseMetadata(o: Obj, type: string, session: string | null, record: ParsedRecord): void {
    const patch = record.sessions[0];
    switch (type) {
      case 'summary': {
        const summary = optString(o, 'summary');
        const leaf = optString(o, 'leafUuid');
        // A summary can sit in another session's file; trust it only when its leaf is in this one.
        if (patch && summary !== undefined && leaf !== undefined && this.seenUuids.has(leaf))
          patch.title = summary;
        break;
      }
      case 'custom-title':
      case 'ai-title': {
        const title = optString(o, type === 'ai-title' ? 'aiTitle' : 'customTitle');
        if (patch && title !== undefined) patch.title = title;
        break;
      }
      case 'agent-name': {
        const name = optString(o, 'agentName');
        if (patch && name !== undefined) patch.meta = { ...patch.meta, agentName: name };
        break;
      }
      case 'pr-link': {
        const url = optString(o, 'prUrl');
        if (patch && url !== undefined) patch.meta = { ...patch.meta, prUrl: url };
        break;
      }
      case 'progress': {
        const data = optObj(o, 'data');
        const agentId = data && typeof data.agentId === 'string' ? data.agentId : undefined;
        const call = optString(o, 'parentToolUseID');
        if (session !== null && !session.includes('/agent-') && agentId !== undefined && call !== undefined) {
          record.sessions.push({
            source: claudeSource,
            externalId: subagentSessionId(session, agentId),
            parentExternalId: session,
            parentToolCallId: call,
            agentId,
          });
        }
        break;
      }
      default:
        break;
    }
  }
}

function systemKind(subtype: string | undefined): MessageKind {
  switch (subtype) {
    case 'compact_boundary':
    case 'microcompact_boundary':
      return 'compact_boundary';
    case 'api_error':
      return 'api_error';
    case 'local_command':
      return 'command';
    default:
      return 'event';
  }
}

const commandPrefixes = [
  '<command-name>',
  '<command-message>',
  '<local-command-stdout>',
  '<local-command-caveat>',
];

function userKind(o: Obj, blocks: Block[], isToolResult: boolean): MessageKind {
  if (optBoolean(o, 'isCompactSummary')) return 'compact_summary';
  if (isToolResult) return 'tool_result';
  if (optBoolean(o, 'isMeta')) return 'meta';
  const text = textOf(blocks).trimStart();
  if (commandPrefixes.some((p) => text.startsWith(p))) return 'command';
  return 'message';
}

function usageOnly(u: ParsedUsage) {
  return {
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    cacheCreationTokens: u.cacheCreationTokens,
    cacheReadTokens: u.cacheReadTokens,
  };
}
