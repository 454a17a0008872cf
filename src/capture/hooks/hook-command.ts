/** What the installed hook runs: absolute paths only, so it depends on neither PATH nor cwd. */
export type HookCommandParts = {
  /** Absolute path of a Node 24 binary (the one running the installer). */
  node: string;
  /** Absolute path of this checkout's `bin/agentlog.js`. */
  script: string;
  dataDir?: string | undefined;
  project?: string | undefined;
  agent: string;
};

export function hookCommand(parts: HookCommandParts): string {
  const args = [parts.node, parts.script];
  if (parts.dataDir !== undefined) args.push('--data-dir', parts.dataDir);
  if (parts.project !== undefined) args.push('--project', parts.project);
  args.push('hooks', 'run', parts.agent);
  return args.map(shellQuote).join(' ');
}

/**
 * Whether a hook's command is one agentlog installed for this agent (whatever paths it was
 * installed with), so a reinstall updates it and an uninstall removes it and nothing else.
 */
export function isAgentlogHook(command: unknown, agent: string): boolean {
  if (typeof command !== 'string') return false;
  return new RegExp(`agentlog(?:\\.js)?['"]?\\s(?:.*\\s)?hooks\\s+run\\s+${agent}(?:\\s|$)`).test(command);
}

/** POSIX shell quoting: agents run hook commands through a shell. */
function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
