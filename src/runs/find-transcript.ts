import { createHash } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { sourceFormat } from '../sources/registry.ts';
import type { SourceEnv, SourceFormat } from '../sources/source-format.ts';
import { readTranscriptIdentity, type TranscriptIdentity } from './transcript-identity.ts';

/** The coding agents whose sessions a run can be launched from. */
export const agentFormatNames = ['claude-code', 'codex', 'gemini'] as const;

export type FoundTranscript = {
  format: SourceFormat;
  path: string;
  sessionId: string | null;
  mtimeMs: number;
};

type Candidate = { format: SourceFormat; path: string; mtimeMs: number };

/** Every transcript of the agents at their usual places (flag/env/home as each format resolves it), newest first. */
async function candidates(env: SourceEnv): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const name of agentFormatNames) {
    const format = sourceFormat(name);
    for (const root of format.defaultRoots(env)) {
      for await (const path of format.discover(root)) {
        if (seen.has(path)) continue;
        seen.add(path);
        const info = await stat(path).catch(() => null);
        if (info?.isFile()) out.push({ format, path, mtimeMs: info.mtimeMs });
      }
    }
  }
  return out.sort((a, b) => b.mtimeMs - a.mtimeMs);
}

/** The directory as written, resolved, and with symbolic links followed: any may be what an agent recorded. */
async function spellings(dir: string): Promise<Set<string>> {
  const resolved = resolve(dir);
  const real = await realpath(resolved).catch(() => resolved);
  return new Set([dir, resolved, real]);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function worksIn(identity: TranscriptIdentity, dirs: Set<string>, hashes: Set<string>): boolean {
  if (identity.cwds.some((cwd) => dirs.has(resolve(cwd)) || dirs.has(cwd))) return true;
  if (identity.projectHash !== null && hashes.has(identity.projectHash)) return true;
  return identity.projectRoot !== null && dirs.has(resolve(identity.projectRoot));
}

/**
 * The most recently written main-agent transcript (Claude Code, Codex or Gemini CLI) whose
 * working directory is `cwd`; null when there is none. Files are judged newest first and only
 * their first bytes are read, so the search stops at the first match.
 */
export async function findLatestTranscript(cwd: string, env: SourceEnv): Promise<FoundTranscript | null> {
  const dirs = await spellings(cwd);
  const hashes = new Set([...dirs].map(sha256));
  for (const candidate of await candidates(env)) {
    const identity = await readTranscriptIdentity(candidate.format.name, candidate.path);
    if (identity === null || identity.child || !worksIn(identity, dirs, hashes)) continue;
    return { ...candidate, sessionId: identity.sessionId };
  }
  return null;
}

/**
 * The transcript of a session named by the user (`--session`): its id, the start of it, or the
 * agent's file name. Names are checked first (Claude and Codex put the id in the file name, Gemini
 * its first 8 characters), then the ids the files record.
 */
export async function findTranscriptOfSession(ref: string, env: SourceEnv): Promise<FoundTranscript | null> {
  const needle = ref.toLowerCase();
  const all = await candidates(env);
  const named = all.filter((c) => basename(c.path).toLowerCase().includes(needle.slice(0, 8)));
  for (const candidate of named) {
    const identity = await readTranscriptIdentity(candidate.format.name, candidate.path);
    if (identity?.sessionId?.toLowerCase().startsWith(needle))
      return { ...candidate, sessionId: identity.sessionId };
  }
  return null;
}
