import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClaudeSessionWriter } from './corpus/claude-session.ts';
import { Random } from './corpus/random.ts';
import { projectNames, sentence } from './corpus/text.ts';

/** Bump when the generator's output changes, so cached corpora are rebuilt. */
const generatorVersion = 2;
const seed = 20260101;
const MB = 1024 * 1024;

export const corpusRoot = resolve(dirname(fileURLToPath(import.meta.url)), '.corpus');

export type Corpus = { dir: string; projects: string; bytes: number; files: number; sessions: number };

type Manifest = Corpus & { generatorVersion: number; seed: number; sizeMb: number };

/**
 * A realistic Claude Code `projects/` tree of at least `sizeMb` MiB, generated once per size and
 * kept under bench/.corpus/ (git-ignored); the same size always gives the same bytes.
 */
export function claudeCorpus(sizeMb: number, log: (line: string) => void = () => {}): Corpus {
  const dir = join(corpusRoot, `claude-code-${sizeMb}mb`);
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (manifest.generatorVersion === generatorVersion && manifest.seed === seed) return manifest;
  }
  rmSync(dir, { recursive: true, force: true });
  log(`generating a ${sizeMb} MB Claude Code corpus in ${dir} ...`);
  const started = performance.now();
  const corpus = generateClaudeCorpus(dir, sizeMb * MB);
  const manifest: Manifest = { ...corpus, generatorVersion, seed, sizeMb };
  // Written last: a generation cut short has no manifest and is redone.
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  log(
    `  ${corpus.files} files, ${corpus.sessions} sessions, ${(corpus.bytes / MB).toFixed(0)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return corpus;
}

/** Writes sessions under `<dir>/projects` until at least `targetBytes` are written. */
export function generateClaudeCorpus(dir: string, targetBytes: number, corpusSeed = seed): Corpus {
  const r = new Random(corpusSeed);
  const projects = join(dir, 'projects');
  const cwds = projectNames.map((name, i) =>
    i % 3 === 2 ? `/Users/sam/code/${name}` : `/home/dev/work/${name}`,
  );
  let bytes = 0;
  let sessions = 0;
  let clock = Date.UTC(2025, 10, 1);
  while (bytes < targetBytes) {
    // A few projects get most of the work, as on a real machine.
    const cwd = cwds[Math.min(cwds.length - 1, Math.floor(r.next() ** 2 * cwds.length))]!;
    clock += r.int(60_000, 8 * 3_600_000);
    const writer = new ClaudeSessionWriter(r, {
      dir: join(projects, cwd.replace(/[^a-zA-Z0-9]/g, '-')),
      sessionId: r.uuid(),
      cwd,
      gitBranch: r.pick(['main', 'main', `feature/${r.hex(4)}`, `fix/${sentence(r).split(' ')[1] ?? 'bug'}`]),
      version: r.pick(['2.1.7', '2.1.14', '2.1.38', '2.1.39', '2.1.42']),
      slug: `${r.pick(['graceful', 'adaptive', 'quiet', 'bold'])}-${r.pick(['knitting', 'mapping', 'imagining'])}-${r.pick(['garden', 'grove', 'moon', 'wolf'])}`,
      model: r.pick(['claude-opus-4-6', 'claude-sonnet-4-5-20250929', 'claude-opus-4-6']),
      startMs: clock,
      agentId: null,
    });
    bytes += writer.writeSession(r.skewed(4, 1, 120));
    sessions++;
  }
  return { dir, projects, bytes, files: countFiles(projects), sessions };
}

function countFiles(root: string): number {
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--size');
  const size = at === -1 ? 500 : Number(process.argv[at + 1]);
  claudeCorpus(size, (line) => console.log(line));
}
