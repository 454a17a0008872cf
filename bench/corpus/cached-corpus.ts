import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusRoot } from '../generate-claude-corpus.ts';

const MB = 1024 * 1024;

/** A generated corpus: `root` is what `agentlog import <source>` is pointed at. */
export type SourceCorpus = { dir: string; root: string; bytes: number; files: number; sessions: number };

type Manifest = SourceCorpus & { generatorVersion: number; seed: number; sizeMb: number };

/**
 * The corpus `name` of at least `sizeMb` MiB under bench/.corpus/, generated once per size and
 * version and reused after (the same size always gives the same bytes, so figures compare).
 */
export function cachedCorpus(
  name: string,
  sizeMb: number,
  version: { generatorVersion: number; seed: number },
  generate: (dir: string, targetBytes: number) => SourceCorpus,
  log: (line: string) => void,
): SourceCorpus {
  const dir = join(corpusRoot, `${name}-${sizeMb}mb`);
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (manifest.generatorVersion === version.generatorVersion && manifest.seed === version.seed)
      return manifest;
  }
  rmSync(dir, { recursive: true, force: true });
  log(`generating a ${sizeMb} MB ${name} corpus in ${dir} ...`);
  const started = performance.now();
  const corpus = generate(dir, sizeMb * MB);
  // Written last: a generation cut short has no manifest and is redone.
  writeFileSync(manifestPath, JSON.stringify({ ...corpus, ...version, sizeMb } satisfies Manifest, null, 2));
  log(
    `  ${corpus.files} files, ${corpus.sessions} sessions, ${(corpus.bytes / MB).toFixed(0)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return corpus;
}

export function countFiles(root: string): number {
  let n = 0;
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(path, entry.name));
      else n++;
    }
  };
  walk(root);
  return n;
}

/** `--size <MB>` of a generator run as a script (default 500, as the import bench). */
export function sizeArg(argv: string[]): number {
  const at = argv.indexOf('--size');
  return at === -1 ? 500 : Number(argv[at + 1]);
}
