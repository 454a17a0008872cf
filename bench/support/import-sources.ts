import { readFile } from 'node:fs/promises';
import { claudeCorpus } from '../generate-claude-corpus.ts';
import { codexCorpus } from '../generate-codex-corpus.ts';
import { geminiCorpus } from '../generate-gemini-corpus.ts';
import { parseFloor } from './parse-floor.ts';

/** A transcript source the import bench measures: its generated corpus and how the CLI names it. */
export type ImportBenchSource = {
  name: string;
  /** The corpus of at least `sizeMb` MiB; `root` is what `agentlog import <cli>` is given. */
  corpus(sizeMb: number, log: (line: string) => void): { root: string };
  /** The transcript files below the root (the floor parses exactly these). */
  isTranscript(path: string): boolean;
};

export const importBenchSources: readonly ImportBenchSource[] = [
  {
    name: 'claude',
    corpus: (sizeMb, log) => ({ root: claudeCorpus(sizeMb, log).projects }),
    isTranscript: (p) => p.endsWith('.jsonl'),
  },
  { name: 'codex', corpus: codexCorpus, isTranscript: (p) => p.endsWith('.jsonl') },
  {
    name: 'gemini',
    corpus: geminiCorpus,
    isTranscript: (p) => p.endsWith('.jsonl') || p.endsWith('.json'),
  },
];

/** `--source claude|codex|gemini|all`. */
export function selectSources(name: string): readonly ImportBenchSource[] {
  if (name === 'all') return importBenchSources;
  const found = importBenchSources.filter((s) => s.name === name);
  if (found.length === 0)
    throw new Error(`unknown --source ${name}: ${importBenchSources.map((s) => s.name).join('|')}|all`);
  return found;
}

/**
 * The JSON.parse floor over a mixed corpus: JSON Lines line by line, and a legacy whole-document
 * `.json` chat (Gemini before April 2026, pretty-printed) as one parse, as any reader must.
 */
export async function corpusFloor(files: string[]): Promise<{ bytes: number; lines: number }> {
  const floor = await parseFloor(files.filter((p) => !p.endsWith('.json')));
  for (const path of files) {
    if (!path.endsWith('.json')) continue;
    const text = await readFile(path);
    JSON.parse(text.toString('utf8'));
    floor.bytes += text.byteLength;
    floor.lines += 1;
  }
  return floor;
}
