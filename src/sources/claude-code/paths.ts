import { basename, dirname, join } from 'node:path';
import type { SourceEnv } from '../source-format.ts';
import { walkFiles } from '../shared/walk.ts';

/** `CLAUDE_CONFIG_DIR` (a comma-separated list, as ccusage reads it), else the two home defaults. */
export function claudeProjectRoots(env: SourceEnv): string[] {
  const configured = env.vars.CLAUDE_CONFIG_DIR?.split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (configured && configured.length > 0) return configured.map((dir) => join(dir, 'projects'));
  const xdg = env.vars.XDG_CONFIG_HOME ?? join(env.home, '.config');
  return [join(env.home, '.claude', 'projects'), join(xdg, 'claude', 'projects')];
}

export function discoverClaudeFiles(root: string): AsyncIterable<string> {
  return walkFiles(root, (path) => path.endsWith('.jsonl') && basename(path) !== 'journal.jsonl');
}

const agentFile = /^agent-(.+)\.jsonl$/;

/**
 * What a transcript's path says about it. Sub-agents live in `<session>/subagents/agent-<id>.jsonl`
 * (2.1.2 and later) or in `agent-<id>.jsonl` beside the sessions (before).
 */
export function describeClaudePath(path: string): {
  agentId: string | null;
  parentSessionId: string | null;
  stem: string;
} {
  const name = basename(path);
  const stem = name.replace(/\.jsonl$/, '');
  const agent = agentFile.exec(name);
  if (!agent) return { agentId: null, parentSessionId: null, stem };
  const parentDir = dirname(path);
  const parentSessionId = basename(parentDir) === 'subagents' ? basename(dirname(parentDir)) : null;
  return { agentId: agent[1] ?? null, parentSessionId, stem };
}
