import { basename, dirname, join } from 'node:path';
import type { SourceEnv } from '../source-format.ts';
import { walkFiles } from '../shared/walk.ts';

/** `GEMINI_CLI_HOME` replaces the home directory for Gemini CLI, which keeps its state in `.gemini`. */
export function geminiTmpRoots(env: SourceEnv): string[] {
  const home = env.vars.GEMINI_CLI_HOME?.trim();
  return [join(home !== undefined && home.length > 0 ? home : env.home, '.gemini', 'tmp')];
}

/**
 * Under `~/.gemini/tmp/<project>/`: `logs.json`, the chats in `chats/` (`session-*.json` before
 * April 2026, `session-*.jsonl` since) and sub-agent chats in `chats/<parentSessionId>/`.
 * Checkpoints, plans and tool outputs beside them are not transcripts.
 */
export function discoverGeminiFiles(root: string): AsyncIterable<string> {
  return walkFiles(root, (path) => {
    const name = basename(path);
    if (name === 'logs.json') return true;
    if (!name.endsWith('.json') && !name.endsWith('.jsonl')) return false;
    const dir = dirname(path);
    return basename(dir) === 'chats' || basename(dirname(dir)) === 'chats';
  });
}

/** What a chat's path says: a sub-agent's chat sits in a folder named after its parent session. */
export function describeGeminiPath(path: string): {
  parentSessionId: string | null;
  /** The project folder under `tmp/`: sha256 of the project root before Feb 2026, a slug since. */
  projectDir: string | null;
  /** That folder's path (where `.project_root` is). */
  projectPath: string | null;
  stem: string;
} {
  const stem = basename(path).replace(/\.jsonl?$/, '');
  const dir = dirname(path);
  const project = (projectPath: string) => ({ projectDir: basename(projectPath), projectPath });
  if (basename(dir) === 'chats') return { parentSessionId: null, ...project(dirname(dir)), stem };
  if (basename(dirname(dir)) === 'chats')
    return { parentSessionId: basename(dir), ...project(dirname(dirname(dir))), stem };
  return { parentSessionId: null, projectDir: null, projectPath: null, stem };
}
