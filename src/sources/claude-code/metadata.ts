import { FieldError, optNumber, optObj, optString, type Obj } from '../shared/fields.ts';

/**
 * Where a session title came from, weakest first: within a file a title only replaces one of the
 * same or a weaker source, so a title the user set is not overwritten by a later generated one.
 */
export const titleRank = { summary: 1, 'ai-title': 2, 'custom-title': 3 } as const;

/** What a record without a message says about its session. */
export type MetadataFacts = {
  title?: { text: string; rank: number };
  /** A summary names the conversation that ends at `leafUuid`, which may come later in the file. */
  summary?: { text: string; leafUuid: string };
  meta?: Obj;
  /** A sub-agent this record shows running under one of the session's tool calls. */
  subagent?: { agentId: string; toolCallId: string };
};

/** Reads the session facts of a metadata record (summary, titles, settings, links); unknown types give none. */
export function readMetadata(o: Obj, type: string): MetadataFacts {
  switch (type) {
    case 'summary': {
      const text = optString(o, 'summary');
      const leafUuid = optString(o, 'leafUuid');
      return text !== undefined && leafUuid !== undefined ? { summary: { text, leafUuid } } : {};
    }
    case 'custom-title':
      return titled(optString(o, 'customTitle'), titleRank['custom-title']);
    case 'ai-title':
      return titled(optString(o, 'aiTitle'), titleRank['ai-title']);
    case 'agent-name':
      return withMeta('agentName', optString(o, 'agentName'));
    case 'permission-mode':
      return withMeta('permissionMode', optString(o, 'permissionMode'));
    case 'agent-setting':
      return withMeta('agentSetting', optString(o, 'agentSetting'));
    case 'bridge-session':
      return withMeta('bridgeSessionId', optString(o, 'bridgeSessionId'));
    case 'worktree-state':
      // null when the session left its worktree: the merge patch then removes the key.
      return { meta: { worktree: optObj(o, 'worktreeSession') ?? null } };
    case 'pr-link':
      return pullRequest(o);
    case 'progress':
      return progressLink(o);
    default:
      return {};
  }
}

function titled(text: string | undefined, rank: number): MetadataFacts {
  return text === undefined || text.trim().length === 0 ? {} : { title: { text, rank } };
}

function withMeta(key: string, value: string | undefined): MetadataFacts {
  return value === undefined ? {} : { meta: { [key]: value } };
}

function pullRequest(o: Obj): MetadataFacts {
  const url = optString(o, 'prUrl');
  if (url === undefined) throw new FieldError('prUrl: missing on a pr-link record');
  const pr: Obj = { url };
  const number = optNumber(o, 'prNumber');
  if (number !== undefined) pr.number = number;
  const repository = optString(o, 'prRepository');
  if (repository !== undefined) pr.repository = repository;
  return { meta: { pullRequest: pr } };
}

/** `agent_progress` streams a sub-agent's work under the tool call that spawned it. */
function progressLink(o: Obj): MetadataFacts {
  const data = optObj(o, 'data');
  if (data === undefined || data.type !== 'agent_progress') return {};
  const agentId = optString(data, 'agentId', 'data.agentId');
  const toolCallId = optString(o, 'parentToolUseID');
  return agentId === undefined || toolCallId === undefined ? {} : { subagent: { agentId, toolCallId } };
}
