import { walkFiles } from '../shared/walk.ts';

/** Chat logs live wherever the user keeps them: JSON Lines files below the given paths. */
export function discoverJsonLines(root: string): AsyncIterable<string> {
  return walkFiles(root, (path) => path.endsWith('.jsonl') || path.endsWith('.jsonl.zst'));
}

export const noDefaultRoots = (): string[] => [];
