import type { Random } from './random.ts';

/** Synthetic but plausible content: prose, source files, command output, with realistic entropy. */

const words = (
  'the a to of and in is for that this it with on we be as are should can will not by from at an ' +
  'file function test config error value type module import export return result check update ' +
  'change build run fix add remove handle call read write parse session message import store ' +
  'query index cache request response user server client worker thread queue batch commit line ' +
  'path directory option flag default schema field record stream buffer offset size count total ' +
  'now then first next still also only because when where which while after before instead ' +
  'missing broken failing passing existing current previous new old same different simple ' +
  'looks like seems let me see need want make sure think probably maybe actually right good'
).split(' ');

const identifiers = (
  'config options result value items entry record session store db writer reader parser ' +
  'handler request response buffer offset count total index cache key path file line text ' +
  'error state context batch queue worker pool stream chunk token usage model message'
).split(' ');

const verbs = 'load read write parse build create update handle resolve format check apply merge'.split(' ');
const nouns = 'Config Session Record Message Batch Store Index Cache Path File Usage Token Error'.split(' ');

export const projectNames = [
  'agentlog',
  'billing-service',
  'web-dashboard',
  'infra',
  'mobile-app',
  'data-pipeline',
  'docs-site',
  'auth-gateway',
  'search',
  'ml-experiments',
  'cli-tools',
  'payments',
];

export const sourceDirs = [
  'src',
  'src/lib',
  'src/api',
  'src/components',
  'test',
  'scripts',
  'pkg',
  'internal',
];

export function sentence(r: Random): string {
  const n = r.int(6, 22);
  let out = '';
  for (let i = 0; i < n; i++) {
    let w = r.chance(0.08) ? `\`${r.pick(identifiers)}${r.pick(nouns)}\`` : r.pick(words);
    if (i === 0) w = w.charAt(0).toUpperCase() + w.slice(1);
    out += i === 0 ? w : ` ${w}`;
  }
  return `${out}${r.pick(['.', '.', '.', ':', '?'])}`;
}

export function prose(r: Random, sentences: number): string {
  let out = '';
  for (let i = 0; i < sentences; i++) {
    out += i === 0 ? sentence(r) : r.chance(0.2) ? `\n\n${sentence(r)}` : ` ${sentence(r)}`;
  }
  return out;
}

export function filePath(r: Random, cwd: string): string {
  const ext = r.pick(['ts', 'ts', 'tsx', 'go', 'py', 'md', 'json', 'rs']);
  return `${cwd}/${r.pick(sourceDirs)}/${r.pick(identifiers)}-${r.pick(identifiers)}.${ext}`;
}

function codeLine(r: Random, depth: number): string {
  const pad = '  '.repeat(depth);
  const id = `${r.pick(identifiers)}${r.pick(nouns)}`;
  switch (r.int(0, 9)) {
    case 0:
      return `${pad}// ${sentence(r)}`;
    case 1:
      return `${pad}export function ${r.pick(verbs)}${r.pick(nouns)}(${r.pick(identifiers)}: ${r.pick(nouns)}): ${r.pick(nouns)} {`;
    case 2:
      return `${pad}if (${id} === null || ${id}.length === 0) return ${r.pick(['null', 'undefined', '[]', 'false'])};`;
    case 3:
      return `${pad}for (const ${r.pick(identifiers)} of ${id}) {`;
    case 4:
      return `${pad}}`;
    case 5:
      return '';
    case 6:
      return `${pad}return ${r.pick(verbs)}${r.pick(nouns)}(${r.pick(identifiers)}, { ${r.pick(identifiers)}: ${r.int(0, 4096)} });`;
    default:
      return `${pad}const ${id} = await ${r.pick(identifiers)}.${r.pick(verbs)}(${r.pick(identifiers)}, '${r.pick(words)}-${r.hex(4)}');`;
  }
}

/** The text of a source file of `lines` lines. */
export function codeFile(r: Random, lines: number): string {
  const out: string[] = [];
  let depth = 0;
  for (let i = 0; i < lines; i++) {
    const line = codeLine(r, depth);
    out.push(line);
    if (line.endsWith('{')) depth = Math.min(depth + 1, 4);
    else if (line.trim() === '}') depth = Math.max(depth - 1, 0);
  }
  return out.join('\n');
}

/** File content as Claude Code's Read tool shows it: right-aligned line numbers and an arrow. */
export function numbered(content: string, startLine = 1): string {
  return content
    .split('\n')
    .map((line, i) => `${String(startLine + i).padStart(6)}→${line}`)
    .join('\n');
}

export function shellCommand(r: Random): string {
  return r.pick([
    'npm test 2>&1 | tail -60',
    'git status',
    'git log --oneline -20',
    'git diff --stat',
    'ls -la src',
    'npx tsc --noEmit',
    'go test ./... 2>&1 | head -80',
    'pytest -x -q',
    'cargo build 2>&1 | tail -40',
    'rg -n "TODO" src',
    'docker compose ps',
    'make lint',
  ]);
}

/** Output of a build, test run or git command: `lines` lines. */
export function commandOutput(r: Random, lines: number, cwd: string): string {
  const out: string[] = [];
  const style = r.int(0, 3);
  for (let i = 0; i < lines; i++) {
    switch (style) {
      case 0:
        out.push(
          `${r.pick([' ✓', ' ✓', ' ✓', ' ×'])} ${filePath(r, 'test').slice(5)} > ${sentence(r).slice(0, 60)} ${r.int(1, 900)}ms`,
        );
        break;
      case 1:
        out.push(
          `${r.hex(7)} ${r.pick(['fix', 'feat', 'chore', 'refactor', 'test'])}: ${sentence(r).slice(0, 70)}`,
        );
        break;
      case 2:
        out.push(
          `${filePath(r, cwd)}:${r.int(1, 900)}:${r.int(1, 80)} - ${r.pick(['error', 'warning'])} TS${r.int(2000, 7999)}: ${sentence(r)}`,
        );
        break;
      default:
        out.push(
          `${r.pick(['-rw-r--r--', 'drwxr-xr-x', '-rwxr-xr-x'])}  1 dev staff ${String(r.int(64, 99999)).padStart(6)} ${r.pick(['Jan', 'Feb', 'Mar'])} ${r.int(1, 28)} ${r.int(10, 23)}:${r.int(10, 59)} ${r.pick(identifiers)}-${r.pick(identifiers)}.${r.pick(['ts', 'json', 'md'])}`,
        );
    }
  }
  return out.join('\n');
}

export function grepOutput(r: Random, matches: number, cwd: string): string {
  const out: string[] = [];
  for (let i = 0; i < matches; i++) out.push(`${filePath(r, cwd)}:${r.int(1, 700)}:${codeLine(r, 1)}`);
  return out.join('\n');
}
