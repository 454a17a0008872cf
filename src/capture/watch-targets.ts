import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AgentlogError } from '../domain/errors.ts';
import type { SourceEnv, SourceFormat } from '../sources/source-format.ts';

/** A directory (or one file) to follow, with the formats whose transcripts may be below it. */
export type WatchTarget = { root: string; formats: SourceFormat[] };

/**
 * Every format's default roots plus the paths the user gave. A given path may hold any format
 * (content decides), so it gets them all. Roots named twice are merged.
 */
export async function watchTargets(
  formats: readonly SourceFormat[],
  paths: string[],
  env: SourceEnv,
): Promise<WatchTarget[]> {
  const byRoot = new Map<string, SourceFormat[]>();
  const add = (root: string, format: SourceFormat) => {
    const list = byRoot.get(root) ?? [];
    if (!list.includes(format)) list.push(format);
    byRoot.set(root, list);
  };
  for (const format of formats) for (const root of format.defaultRoots(env)) add(resolve(root), format);
  for (const path of paths) {
    const root = resolve(path);
    if ((await stat(root).catch(() => null)) === null) {
      throw new AgentlogError('INVALID_ARGUMENT', `No such file or directory: ${path}`, {
        hint: 'Give an existing transcript file or directory; the default locations are always followed.',
      });
    }
    for (const format of formats) add(root, format);
  }
  return [...byRoot].map(([root, list]) => ({ root, formats: list }));
}
