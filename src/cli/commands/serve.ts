import { homedir } from 'node:os';
import type { Command } from 'commander';
import { createAgentlog } from '../../agentlog.ts';
import { loadConfig } from '../../config/config.ts';
import { AgentlogError } from '../../domain/errors.ts';
import { buildOpenApi } from '../../server/openapi.ts';
import { startServer } from '../../server/start-server.ts';
import type { GlobalOptions } from '../context.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';

type ServeOptions = { host?: string; port?: number; printOpenapi?: boolean };

export function registerServe(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('Run the ingest server: the HTTP API and the WebSocket session protocol (docs/API.md).')
    .option('--host <address>', 'address to bind (env AGENTLOG_HOST; default 127.0.0.1)')
    .option('--port <n>', 'port to listen on (env AGENTLOG_PORT; default 7777)', parsePort)
    .option('--print-openapi', 'print the OpenAPI document and exit')
    .addHelpText(
      'after',
      '\nEvery request needs a key: npx agentlog keys create --project NAME\n' +
        'SIGTERM or Ctrl-C: stop taking work, answer what is in flight, commit, exit.\n',
    )
    .action(async (options: ServeOptions, command: Command) => {
      if (options.printOpenapi) return writeJson(io, buildOpenApi());
      const global = command.optsWithGlobals<GlobalOptions>();
      const config = loadConfig({
        flags: { ...global, host: options.host, port: options.port },
        env: io.env,
        home: io.env.HOME ?? homedir(),
      });
      const agentlog = await createAgentlog(config);
      try {
        const server = await startServer(agentlog, {
          logger: { level: io.env.AGENTLOG_LOG_LEVEL ?? 'info', stream: io.stderr },
        });
        const stop = stopSignal();
        if ((await agentlog.store.listApiKeys()).length === 0)
          writeLine(
            io.stderr,
            'agentlog: no API keys yet; create one with `npx agentlog keys create --project NAME`',
          );
        writeLine(io.stderr, `agentlog: serving ${config.dataDir} on ${server.url}`);
        await stop.signalled;
        writeLine(io.stderr, 'agentlog: stopping; finishing the work in flight');
        await server.close();
        writeLine(io.stderr, 'agentlog: stopped');
      } finally {
        await agentlog.close();
      }
    });
}

/** Resolves on the first SIGINT or SIGTERM; a second one gets the default (immediate) exit. */
function stopSignal(): { signalled: Promise<void> } {
  const signalled = new Promise<void>((resolve) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  return { signalled };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new AgentlogError('INVALID_ARGUMENT', `--port takes a port number (0-65535), not "${value}".`);
  }
  return port;
}
