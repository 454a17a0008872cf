import type { Command } from 'commander';
import { AgentlogError } from '../../domain/errors.ts';
import { loadCliConfig, type GlobalOptions } from '../context.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';
import { stopSignal } from '../stop-signal.ts';

type ServeOptions = {
  host?: string;
  port?: number;
  printOpenapi?: boolean;
  zmqPull?: string | true;
  zmqSub?: string[];
  zmqTopic?: string[];
  zmqProject?: string;
};

/**
 * defaultZmqPullEndpoint of config/zeromq-config.ts, written out so that `--help` does not load the
 * config schema (test/cli-help.test.ts checks the two agree).
 */
export const zmqPullEndpointInHelp = 'tcp://127.0.0.1:5557';

export function registerServe(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description('Run the ingest server: the HTTP API and the WebSocket session protocol (docs/API.md).')
    .option('--host <address>', 'address to bind (env AGENTLOG_HOST; default 127.0.0.1)')
    .option('--port <n>', 'port to listen on (env AGENTLOG_PORT; default 7777)', parsePort)
    .option(
      '--zmq-pull [endpoint]',
      `bind a ZeroMQ PULL socket for agents that PUSH (default ${zmqPullEndpointInHelp})`,
    )
    .option('--zmq-sub <endpoint>', "connect a ZeroMQ SUB socket to a broker's PUB (repeatable)", collect)
    .option(
      '--zmq-topic <prefix>',
      'subscribe the SUB socket to this topic prefix only (repeatable)',
      collect,
    )
    .option('--zmq-project <name>', 'project for ZeroMQ traffic (default: the --project)')
    .option('--print-openapi', 'print the OpenAPI document and exit')
    .addHelpText(
      'after',
      '\nEvery request needs a key: npx agentlog keys create --project NAME\n' +
        'SIGTERM or Ctrl-C: stop taking work, answer what is in flight, commit, exit.\n' +
        'ZeroMQ sockets have no authentication: keep them on 127.0.0.1 (docs/API.md, ZeroMQ).\n',
    )
    .action(async (options: ServeOptions, command: Command) => {
      if (options.printOpenapi) {
        const { buildOpenApi } = await import('../../server/openapi.ts');
        return writeJson(io, buildOpenApi());
      }
      const global = command.optsWithGlobals<GlobalOptions>();
      const [{ defaultZmqPullEndpoint }, { createAgentlog }, { startServer }] = await Promise.all([
        import('../../config/zeromq-config.ts'),
        import('../../agentlog.ts'),
        import('../../server/start-server.ts'),
      ]);
      const { describeStore } = await import('../../config/describe-store.ts');
      const config = await loadCliConfig(io, {
        ...global,
        host: options.host,
        port: options.port,
        zmqPull: options.zmqPull === true ? defaultZmqPullEndpoint : options.zmqPull,
        zmqSub: options.zmqSub,
        zmqTopics: options.zmqTopic,
        zmqProject: options.zmqProject,
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
        writeLine(
          io.stderr,
          `agentlog: serving ${describeStore(config.storage, config.dataDir)} on ${server.url}`,
        );
        if (server.zeromq?.pullEndpoint)
          writeLine(io.stderr, `agentlog: ZeroMQ PULL on ${server.zeromq.pullEndpoint}`);
        await stop.signalled;
        writeLine(io.stderr, 'agentlog: stopping; finishing the work in flight');
        await server.close();
        writeLine(io.stderr, 'agentlog: stopped');
      } finally {
        await agentlog.close();
      }
    });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new AgentlogError('INVALID_ARGUMENT', `--port takes a port number (0-65535), not "${value}".`);
  }
  return port;
}
