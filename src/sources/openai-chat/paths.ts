import { walkFiles } from '../shared/walk.ts';

/** Chat logs live wherever the user keeps them: JSON Lines (and JSON arrays) below the given paths. */
export function discoverJsonLines(root: string): AsyncIterable<string> {
  return walkFiles(root, (path) => /\.(jsonl|jsonl\.zst|json)$/.test(path));
}

export const noDefaultRoots = (): string[] => [];
