import { sessionIdFor } from '../domain/ids.ts';
import type { MergedPatch } from './merge-patches.ts';

/**
 * What both batch writers need to upsert a batch's sessions: their ids, and the parameters of
 * the upsert (the same names in the SQLite and the PostgreSQL statement).
 */

/** Session ids of one project, each computed once: a batch names few sessions many times, and each id is a sha256. */
export function sessionIds(project: number): (source: string, external: string) => string {
  const ids = new Map<string, string>();
  return (source, external) => {
    const key = `${source}\u0000${external}`;
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = sessionIdFor(project, source, external)));
    return id;
  };
}

/** The upsert's parameters for one merged patch; `meta` is encoded by the adapter. */
export function sessionUpsertParams(
  merged: MergedPatch,
  keys: { id: string; project: number; parent: string | null },
  meta: string,
) {
  const { patch, min, max } = merged;
  return {
    ...keys,
    source: patch.source,
    external: patch.externalId,
    parentTool: patch.parentToolCallId ?? null,
    agent: patch.agentId ?? null,
    title: patch.title ?? null,
    fallback: patch.fallbackTitle ?? null,
    cwd: patch.cwd ?? null,
    branch: patch.gitBranch ?? null,
    version: patch.agentVersion ?? null,
    started: min ?? null,
    ended: max ?? null,
    meta,
    status: patch.status ?? 'imported',
  };
}
