import { homedir } from 'node:os';
import type { Agentlog } from '../agentlog.ts';
import type { Config, ConfigInputs } from '../config/config.ts';
import type { CliIo } from './io.ts';

export type GlobalOptions = { dataDir?: string; project?: string };

/**
 * The configuration from the global options, the environment and config.json. The schema (zod)
 * is loaded here, on first use, so `--help` and commands that need no config do not pay for it.
 */
export async function loadCliConfig(io: CliIo, flags: ConfigInputs['flags']): Promise<Config> {
  const { loadConfig } = await import('../config/config.ts');
  return loadConfig({ flags, env: io.env, home: io.env.HOME ?? homedir() });
}

/** Opens agentlog for one command and closes it afterwards, whatever happens. */
export async function withAgentlog<T>(
  io: CliIo,
  options: GlobalOptions,
  run: (agentlog: Agentlog) => Promise<T>,
): Promise<T> {
  const config = await loadCliConfig(io, options);
  const { createAgentlog } = await import('../agentlog.ts');
  const agentlog = await createAgentlog(config);
  try {
    return await run(agentlog);
  } finally {
    await agentlog.close();
  }
}
