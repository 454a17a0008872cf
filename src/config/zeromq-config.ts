import { z } from 'zod';

/** Where `--zmq-pull` binds when given without an endpoint; loopback, since the socket has no auth. */
export const defaultZmqPullEndpoint = 'tcp://127.0.0.1:5557';

/**
 * ZeroMQ capture in `agentlog serve` (server/zeromq/): off unless an endpoint is set. ZeroMQ
 * sockets carry no key, so their traffic is stored in one configured project.
 */
export const zeromqSchema = z
  .object({
    /** Endpoint the PULL socket binds, for agents that PUSH (e.g. tcp://127.0.0.1:5557); null: none. */
    pull: z.string().min(1).nullable().default(null),
    /** Broker PUB endpoints the SUB socket connects to (e.g. tcp://127.0.0.1:5555). */
    sub: z.array(z.string().min(1)).default([]),
    /** Topic prefixes the SUB socket subscribes to; '' is everything. */
    topics: z.array(z.string()).default(['']),
    /** The project ZeroMQ traffic is stored in; default: the configured project. */
    project: z.string().min(1).optional(),
  })
  .prefault({});

export type ZeromqConfig = z.infer<typeof zeromqSchema>;

export type ZeromqFlags = {
  zmqPull?: string | undefined;
  zmqSub?: string[] | undefined;
  zmqTopics?: string[] | undefined;
  zmqProject?: string | undefined;
};

/** The file's settings, then AGENTLOG_ZMQ_PULL / AGENTLOG_ZMQ_SUB (comma-separated), then flags. */
export function zeromqInputs(
  fromFile: Partial<ZeromqConfig> | undefined,
  env: Readonly<Record<string, string | undefined>>,
  flags: ZeromqFlags,
): Partial<ZeromqConfig> {
  const list = (text: string) =>
    text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  return {
    ...fromFile,
    ...(env.AGENTLOG_ZMQ_PULL ? { pull: env.AGENTLOG_ZMQ_PULL } : {}),
    ...(env.AGENTLOG_ZMQ_SUB ? { sub: list(env.AGENTLOG_ZMQ_SUB) } : {}),
    ...(flags.zmqPull !== undefined ? { pull: flags.zmqPull } : {}),
    ...(flags.zmqSub !== undefined ? { sub: flags.zmqSub } : {}),
    ...(flags.zmqTopics !== undefined ? { topics: flags.zmqTopics } : {}),
    ...(flags.zmqProject !== undefined ? { project: flags.zmqProject } : {}),
  };
}
