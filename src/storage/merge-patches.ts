import type { SessionPatch } from '../domain/session.ts';

/** A session's patches of one batch merged: the patch, its time range and the models named. */
export type MergedPatch = { patch: SessionPatch; min?: number; max?: number; models: Set<string> };

/** Merges the patches of one batch per session, so a thousand lines of one session cost one upsert. */
export function mergePatches(patches: readonly SessionPatch[]): Map<string, MergedPatch> {
  const merged = new Map<string, MergedPatch>();
  for (const patch of patches) {
    const key = `${patch.source}\u0000${patch.externalId}`;
    let entry = merged.get(key);
    if (!entry) {
      entry = { patch: { source: patch.source, externalId: patch.externalId }, models: new Set() };
      merged.set(key, entry);
    }
    const target = entry.patch;
    if (patch.title !== undefined) target.title = patch.title;
    if (patch.fallbackTitle !== undefined && target.fallbackTitle === undefined)
      target.fallbackTitle = patch.fallbackTitle;
    if (patch.cwd !== undefined && target.cwd === undefined) target.cwd = patch.cwd;
    if (patch.gitBranch !== undefined) target.gitBranch = patch.gitBranch;
    if (patch.agentVersion !== undefined) target.agentVersion = patch.agentVersion;
    if (patch.parentExternalId !== undefined) target.parentExternalId = patch.parentExternalId;
    if (patch.parentToolCallId !== undefined) target.parentToolCallId = patch.parentToolCallId;
    if (patch.agentId !== undefined) target.agentId = patch.agentId;
    if (patch.forkedFromExternalId !== undefined) target.forkedFromExternalId = patch.forkedFromExternalId;
    if (patch.meta !== undefined) target.meta = { ...target.meta, ...patch.meta };
    if (patch.status !== undefined && target.status === undefined) target.status = patch.status;
    if (patch.model !== undefined) entry.models.add(patch.model);
    if (patch.timestamp !== undefined) {
      entry.min = entry.min === undefined ? patch.timestamp : Math.min(entry.min, patch.timestamp);
      entry.max = entry.max === undefined ? patch.timestamp : Math.max(entry.max, patch.timestamp);
    }
  }
  return merged;
}
