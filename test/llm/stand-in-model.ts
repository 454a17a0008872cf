import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/**
 * A local stand-in for a remote model: one HTTP server answering in each provider's API shape
 * (OpenAI chat completions, Anthropic Messages, Bedrock Converse). Only the remote model is
 * replaced; every byte agentlog sends and reads crosses a real socket.
 */
export type Received = { path: string; headers: IncomingMessage['headers']; body: Record<string, unknown> };

export type StandInBehaviour =
  /** `text` may be worked out from the user prompt (to cite an excerpt by its number). */
  | { kind: 'answer'; text: string | ((prompt: string) => string) }
  | { kind: 'garbage'; body: string }
  | { kind: 'status'; status: number; body: string }
  | { kind: 'hang' };

export type StandIn = { url: string; received: Received[]; behave(b: StandInBehaviour): void };

const bedrockAuth =
  /^AWS4-HMAC-SHA256 Credential=[A-Z0-9]+\/\d{8}\/[a-z0-9-]+\/bedrock\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$/;

function answer(
  path: string,
  headers: IncomingMessage['headers'],
  text: string,
): { status: number; body: unknown } {
  if (path === '/v1/chat/completions') {
    if (!headers.authorization?.startsWith('Bearer ')) return { status: 401, body: { error: 'no key' } };
    return {
      status: 200,
      body: {
        model: 'stand-in-gpt',
        choices: [{ message: { role: 'assistant', content: text } }],
        usage: { prompt_tokens: 900, completion_tokens: 80 },
      },
    };
  }
  if (path === '/v1/messages') {
    if (headers['x-api-key'] === undefined || headers['anthropic-version'] === undefined)
      return { status: 401, body: { type: 'error' } };
    return {
      status: 200,
      body: {
        model: 'stand-in-claude',
        content: [{ type: 'text', text }],
        usage: { input_tokens: 900, output_tokens: 80 },
      },
    };
  }
  if (/^\/model\/[^/]+\/converse$/.test(path)) {
    const signed = bedrockAuth.exec(String(headers.authorization ?? ''));
    const names = signed?.[1]?.split(';') ?? [];
    if (
      !signed ||
      !names.includes('host') ||
      !names.includes('x-amz-date') ||
      !/^\d{8}T\d{6}Z$/.test(String(headers['x-amz-date']))
    )
      return { status: 403, body: { message: 'The request signature we calculated does not match' } };
    return {
      status: 200,
      body: {
        output: { message: { role: 'assistant', content: [{ text }] } },
        usage: { inputTokens: 900, outputTokens: 80 },
        stopReason: 'end_turn',
      },
    };
  }
  return { status: 404, body: { error: `no route ${path}` } };
}

/** The user prompt of a request in any of the three shapes. */
export function promptOf(body: Record<string, unknown>): string {
  const messages = body.messages as { role: string; content: string | { text: string }[] }[] | undefined;
  const user = messages?.find((m) => m.role === 'user')?.content;
  if (typeof user === 'string') return user;
  return user?.[0]?.text ?? '';
}

/** Starts a stand-in model for the test; closed after it. */
export function useStandInModel(): () => Promise<StandIn> {
  const servers: { close(): void }[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });
  return async () => {
    let behaviour: StandInBehaviour = { kind: 'answer', text: '{}' };
    const received: Received[] = [];
    const hanging: ServerResponse[] = [];
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (d: Buffer) => (raw += d.toString()));
      req.on('end', () => {
        received.push({
          path: req.url ?? '',
          headers: req.headers,
          body: JSON.parse(raw || '{}') as Record<string, unknown>,
        });
        if (behaviour.kind === 'hang') return void hanging.push(res);
        if (behaviour.kind === 'garbage')
          return void res.writeHead(200, { 'content-type': 'application/json' }).end(behaviour.body);
        if (behaviour.kind === 'status') return void res.writeHead(behaviour.status).end(behaviour.body);
        const last = received.at(-1)!;
        const text =
          typeof behaviour.text === 'string' ? behaviour.text : behaviour.text(promptOf(last.body));
        const { status, body } = answer(req.url ?? '', req.headers, text);
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push({
      close: () => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close();
      },
    });
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, received, behave: (b) => (behaviour = b) };
  };
}
