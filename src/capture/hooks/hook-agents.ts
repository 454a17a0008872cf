import { join } from 'node:path';
import { AgentlogError } from '../../domain/errors.ts';
import type { Obj } from '../../sources/shared/fields.ts';
import type { SourceEnv } from '../../sources/source-format.ts';
import type { HookCommandParts } from './hook-command.ts';

export type HookScope = 'user' | 'project';

/** An agent whose hooks can call `agentlog hooks run <name>`, and how its hook settings are kept. */
export type HookAgent = {
  name: string;
  title: string;
  /** The transcript format (name or alias in the source registry) its hooks point to. */
  source: string;
  settingsFile(env: SourceEnv, scope: HookScope, cwd: string): string;
  /** Events after which the transcript has grown: the end of a turn, of a sub-agent, before compaction, at exit. */
  events: readonly string[];
  handler(command: string): Obj;
  /** What the user must know after installing (what agentlog could not do for them). */
  notes(parts: HookCommandParts): string[];
};

const firstDir = (list: string | undefined) =>
  list
    ?.split(',')
    .map((s) => s.trim())
    .find((s) => s.length > 0);

const claude: HookAgent = {
  name: 'claude',
  title: 'Claude Code',
  source: 'claude',
  settingsFile: (env, scope, cwd) =>
    scope === 'project'
      ? join(cwd, '.claude', 'settings.json')
      : join(firstDir(env.vars.CLAUDE_CONFIG_DIR) ?? join(env.home, '.claude'), 'settings.json'),
  events: ['Stop', 'SubagentStop', 'PreCompact', 'SessionEnd'],
  handler: (command) => ({ type: 'command', command, timeout: 60 }),
  notes: () => [],
};

const codex: HookAgent = {
  name: 'codex',
  title: 'Codex',
  source: 'codex',
  settingsFile: (env, scope, cwd) =>
    scope === 'project'
      ? join(cwd, '.codex', 'hooks.json')
      : join(env.vars.CODEX_HOME ?? join(env.home, '.codex'), 'hooks.json'),
  events: ['Stop', 'SubagentStop', 'PreCompact', 'SessionEnd'],
  handler: (command) => ({ type: 'command', command, timeout: 60 }),
  notes: (parts) => [
    'Codex runs hooks.json only with its hooks feature on (the default in recent versions; older ones need `[features] codex_hooks = true` in config.toml), and asks you to trust new hooks (`/hooks`).',
    `Codex versions without hooks can use its notify program instead; agentlog does not edit config.toml, so add this line to it yourself: notify = ${JSON.stringify([parts.node, parts.script, ...(parts.dataDir ? ['--data-dir', parts.dataDir] : []), ...(parts.project ? ['--project', parts.project] : []), 'hooks', 'run', 'codex'])}`,
  ],
};

const gemini: HookAgent = {
  name: 'gemini',
  title: 'Gemini CLI',
  source: 'gemini',
  settingsFile: (env, scope, cwd) =>
    scope === 'project' ? join(cwd, '.gemini', 'settings.json') : join(env.home, '.gemini', 'settings.json'),
  events: ['AfterAgent', 'PreCompress', 'SessionEnd'],
  handler: (command) => ({
    name: 'agentlog',
    type: 'command',
    command,
    timeout: 60_000,
    description: 'Store the session transcript with agentlog',
  }),
  notes: () => [
    'Gemini CLI runs hooks only while its hooks system is enabled (/settings, "Enable Hooks System").',
  ],
};

export const hookAgents: readonly HookAgent[] = [claude, codex, gemini];

export function hookAgent(name: string): HookAgent {
  const found = hookAgents.find((a) => a.name === name || (name === 'claude-code' && a.name === 'claude'));
  if (found === undefined) {
    throw new AgentlogError('INVALID_ARGUMENT', `No hooks for "${name}".`, {
      hint: `Agents with hooks: ${hookAgents.map((a) => a.name).join(', ')}.`,
    });
  }
  return found;
}
