import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Files below `root` accepted by `keep`, depth first, names sorted so runs are repeatable.
 * Directories are read one at a time: memory stays flat for directories of any size.
 */
export async function* walkFiles(root: string, keep: (path: string) => boolean): AsyncIterable<string> {
  const info = await stat(root).catch(() => null);
  if (info === null) return;
  if (info.isFile()) {
    yield root;
    return;
  }
  if (!info.isDirectory()) return;
  const names: { name: string; dir: boolean }[] = [];
  const dir = await opendir(root).catch(() => null);
  if (dir === null) return;
  for await (const entry of dir) {
    if (entry.isDirectory()) names.push({ name: entry.name, dir: true });
    else if (entry.isFile() || entry.isSymbolicLink()) names.push({ name: entry.name, dir: false });
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const { name, dir: isDir } of names) {
    const path = join(root, name);
    if (isDir) yield* walkFiles(path, keep);
    else if (keep(path)) yield path;
  }
}
