import { homedir } from 'node:os';
import { createAgentlog, type Agentlog } from '../agentlog.ts';
import { loadConfig } from '../config/config.ts';
import type { CliIo } from './io.ts';

export type GlobalOptions = { dataDir?: string; project?: string };

/** Opens agentlog for one command and closes it afterwards, whatever happens. */
export async function withAgentlog<T>(
  io: CliIo,
  options: GlobalOptions,
  run: (agentlog: Agentlog) => Promise<T>,
): Promise<T> {
  const config = loadConfig({ flags: options, env: io.env, home: io.env.HOME ?? homedir() });
  const agentlog = await createAgentlog(config);
  try {
    return await run(agentlog);
  } finally {
    await agentlog.close();
  }
}
