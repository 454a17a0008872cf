import type { SessionPatch } from '../../domain/session.ts';
import { isObj, optObj, optString, optTimestamp, type Obj } from '../shared/fields.ts';

export type SessionMeta = {
  /** The thread the record names (`id`, or `session_id` in older rollouts). */
  threadId: string | undefined;
  createdAt: number | undefined;
  /** A fork or a spawned sub-agent: its rollout may begin with a copy of its parent's history. */
  child: boolean;
  /** Everything the session learns from it, without source and external id (the caller knows them). */
  patch: Omit<SessionPatch, 'source' | 'externalId'>;
};

/** Reads a `session_meta` payload (or the bare first line of the oldest rollouts). */
export function readSessionMeta(p: Obj): SessionMeta {
  const threadId = optString(p, 'id', 'payload.id') ?? optString(p, 'session_id', 'payload.session_id');
  const createdAt = optTimestamp(p, 'timestamp', 'payload.timestamp');
  const patch: SessionMeta['patch'] = {};
  const meta: Record<string, unknown> = {};
  const cwd = optString(p, 'cwd', 'payload.cwd');
  if (cwd !== undefined && cwd.length > 0) patch.cwd = cwd;
  const version = optString(p, 'cli_version', 'payload.cli_version');
  if (version !== undefined) patch.agentVersion = version;
  if (createdAt !== undefined) patch.timestamp = createdAt;

  const git = optObj(p, 'git', 'payload.git');
  const branch = git && optString(git, 'branch', 'payload.git.branch');
  if (branch !== undefined && branch.length > 0) patch.gitBranch = branch;
  if (git) {
    copy(git, 'commit_hash', meta, 'gitCommit');
    copy(git, 'repository_url', meta, 'repositoryUrl');
  }
  copy(p, 'originator', meta, 'originator');
  copy(p, 'model_provider', meta, 'modelProvider');
  copy(p, 'thread_source', meta, 'threadSource');
  copy(p, 'agent_nickname', meta, 'agentNickname');
  copy(p, 'agent_role', meta, 'agentRole');
  copy(p, 'agent_path', meta, 'agentPath');
  if (p.source !== undefined && p.source !== null) meta.source = p.source;

  const spawn = threadSpawn(p.source);
  const spawnPath = 'payload.source.subagent.thread_spawn';
  // A sub-agent forked from its parent names the fork inside its spawn, not at the top.
  const forkedFrom =
    optString(p, 'forked_from_id', 'payload.forked_from_id') ??
    (spawn === null ? undefined : optString(spawn, 'forked_from_id', `${spawnPath}.forked_from_id`));
  // Paginated history (Codex 0.146+): a rollout continuing another thread's history names it in
  // `history_base` instead of copying it. Naming the thread itself, it is a resumed segment.
  const base = optObj(p, 'history_base', 'payload.history_base');
  const baseThread = base && optString(base, 'thread_id', 'payload.history_base.thread_id');
  const continues = baseThread !== undefined && baseThread !== threadId ? baseThread : undefined;
  if (forkedFrom !== undefined || continues !== undefined)
    patch.forkedFromExternalId = forkedFrom ?? continues;
  if (spawn !== null) {
    if (meta.agentRole === undefined) copy(spawn, 'agent_role', meta, 'agentRole');
    if (typeof spawn.depth === 'number') meta.agentDepth = spawn.depth;
    const parent = optString(spawn, 'parent_thread_id', `${spawnPath}.parent_thread_id`);
    if (parent !== undefined) patch.parentExternalId = parent;
    const call = optString(spawn, 'spawn_call_id', `${spawnPath}.spawn_call_id`);
    if (call !== undefined) patch.parentToolCallId = call;
    const agent = optString(p, 'agent_nickname', 'payload.agent_nickname') ?? threadId;
    if (agent !== undefined) patch.agentId = agent;
  }
  if (Object.keys(meta).length > 0) patch.meta = meta;
  return { threadId, createdAt, child: forkedFrom !== undefined || spawn !== null, patch };
}

/** `source: {subagent: {thread_spawn: {parent_thread_id, …}}}`; other sources are strings or other shapes. */
function threadSpawn(source: unknown): Obj | null {
  if (!isObj(source) || !isObj(source.subagent)) return null;
  const spawn = source.subagent.thread_spawn;
  return isObj(spawn) ? spawn : null;
}

function copy(from: Obj, key: string, to: Record<string, unknown>, as: string): void {
  const value = from[key];
  if (typeof value === 'string' && value.length > 0) to[as] = value;
}
