import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { SourceEnv } from '../source-format.ts';
import { walkFiles } from '../shared/walk.ts';

/** `CODEX_HOME` (a comma-separated list, as ccusage reads it), else `~/.codex`. */
export function codexHomes(env: SourceEnv): string[] {
  const configured = env.vars.CODEX_HOME?.split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (configured && configured.length > 0) return configured;
  return [join(env.home, '.codex')];
}

// The TypeScript CLI of spring 2025 saved `rollout-<date>-<id>.json` documents (document.ts).
const isRollout = (path: string) =>
  path.endsWith('.jsonl') ||
  path.endsWith('.jsonl.zst') ||
  (path.endsWith('.json') && basename(path).startsWith('rollout-'));

/** The name a rollout keeps when it is archived or compressed: its file name without `.zst`. */
export function rolloutName(path: string): string {
  return basename(path).replace(/\.zst$/, '');
}

/**
 * Rollouts below a root. A Codex home (a directory holding `sessions/` or `archived_sessions/`)
 * gives both, the active copy winning over an archived one of the same name; any other directory
 * is walked as it is. In every directory a plain `x.jsonl` wins over its compressed `x.jsonl.zst`.
 */
export async function* discoverCodexFiles(root: string): AsyncIterable<string> {
  const info = await stat(root).catch(() => null);
  if (info === null) return;
  if (!info.isDirectory()) {
    yield root;
    return;
  }
  const sessions = join(root, 'sessions');
  const archived = join(root, 'archived_sessions');
  if (!(await isDirectory(sessions)) && !(await isDirectory(archived))) {
    yield* rollouts(root, null);
    return;
  }
  const active = new Set<string>();
  yield* rollouts(sessions, active);
  for await (const path of rollouts(archived, null)) if (!active.has(rolloutName(path))) yield path;
}

async function* rollouts(dir: string, names: Set<string> | null): AsyncIterable<string> {
  for await (const path of walkFiles(dir, isRollout)) {
    if (path.endsWith('.zst') && (await stat(path.slice(0, -'.zst'.length)).catch(() => null)) !== null)
      continue;
    names?.add(rolloutName(path));
    yield path;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const stampOf = /^rollout-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2})/;

/**
 * What a rollout's name says: `rollout-<local time>-<thread id>.jsonl[.zst]`. Since paginated
 * history (Codex 0.146), resuming a thread opens a new segment `…-<thread id>_<segment id>` whose
 * session_meta names the thread: the thread is the first UUID of such a pair (the parser checks it
 * against session_meta), and the second joins `stamp`, which tells apart the rollouts of one thread
 * (segments, and a reverted thread written to a new file under the same id). `ids` lists every
 * UUID of the name.
 */
export function describeRolloutPath(path: string): { threadId: string | null; stamp: string; ids: string[] } {
  const stem = rolloutName(path).replace(/\.jsonl$/, '');
  const ids = (stem.match(uuid) ?? []).map((id) => id.toLowerCase());
  const time = stampOf.exec(stem)?.[1];
  const segment = ids.length > 1 ? ids[ids.length - 1]! : null;
  const stamp = time === undefined ? stem : segment === null ? time : `${time}_${segment}`;
  const threadId = ids.length === 0 ? null : ids.length > 1 ? ids[ids.length - 2]! : ids[0]!;
  return { threadId, stamp, ids };
}
