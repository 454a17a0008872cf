import { walkFiles } from '../shared/walk.ts';

/** ShareGPT data lives wherever the user keeps it: JSON documents and JSON Lines below the given paths. */
export function discoverShareGptFiles(root: string): AsyncIterable<string> {
  return walkFiles(root, (path) => /\.(json|jsonl|jsonl\.zst)$/.test(path));
}

export const noDefaultRoots = (): string[] => [];
