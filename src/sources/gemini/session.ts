import type { SessionPatch } from '../../domain/session.ts';
import { optString, optTimestamp, type Obj } from '../shared/fields.ts';
import type { describeGeminiPath } from './paths.ts';
import { geminiSource, headerMetaKeys } from './schema.ts';
import type { GeminiMessage } from './message.ts';

type GeminiPath = ReturnType<typeof describeGeminiPath>;

/**
 * What a header (or a `$set` of some of its fields) says about the session. Gemini records no
 * working directory and no CLI version; the project folder and hash stand in for the project, and
 * `cwd` is the root its folder's `.project_root` names (project-root.ts), when it has one.
 */
export function headerPatches(o: Obj, session: string, path: GeminiPath, cwd: string | null): SessionPatch[] {
  const patch: SessionPatch = { source: geminiSource, externalId: session };
  if (cwd !== null) patch.cwd = cwd;
  const meta: Record<string, unknown> = {};
  for (const key of headerMetaKeys) if (o[key] !== undefined && o[key] !== null) meta[key] = o[key];
  if (path.projectDir !== null) meta.projectDir = path.projectDir;
  if (Object.keys(meta).length > 0) patch.meta = meta;
  const summary = optString(o, 'summary');
  if (summary !== undefined && summary.trim().length > 0) patch.title = summary.trim();
  if (path.parentSessionId !== null && path.parentSessionId !== session)
    patch.parentExternalId = path.parentSessionId;
  const patches = [patch];
  const started = optTimestamp(o, 'startTime');
  if (started !== undefined) patch.timestamp = started;
  const updated = optTimestamp(o, 'lastUpdated');
  if (updated !== undefined) patches.push({ source: geminiSource, externalId: session, timestamp: updated });
  return patches;
}

export function messagePatch(session: string, converted: GeminiMessage): SessionPatch {
  const { message, prompt } = converted;
  const patch: SessionPatch = { source: geminiSource, externalId: session };
  if (message.timestamp !== null) patch.timestamp = message.timestamp;
  if (message.model !== null) patch.model = message.model;
  if (prompt !== null) patch.fallbackTitle = prompt;
  return patch;
}
