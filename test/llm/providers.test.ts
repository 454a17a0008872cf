import { describe, expect, it } from 'vitest';
import { llmSchema } from '../../src/config/llm-config.ts';
import { AgentlogError } from '../../src/domain/errors.ts';
import { createLlmProvider } from '../../src/llm/create-provider.ts';
import type { LlmProvider } from '../../src/llm/llm-provider.ts';
import { useStandInModel } from './stand-in-model.ts';

const request = { system: 'You explain crashes.', prompt: 'Why did it crash?', maxTokens: 200 };

function provider(config: Record<string, unknown>): LlmProvider {
  const created = createLlmProvider(llmSchema.parse(config));
  if (created === null) throw new Error('no provider');
  return created;
}

describe('model providers against a local stand-in', () => {
  const standIn = useStandInModel();

  it('OpenAI-compatible: POST /chat/completions with a bearer key, system and user messages', async () => {
    const server = await standIn();
    server.behave({ kind: 'answer', text: 'batch too large' });
    const model = provider({
      provider: 'openai',
      model: 'gpt-test',
      baseUrl: `${server.url}/v1`,
      apiKey: 'sk-1',
    });
    const answer = await model.complete(request);
    expect(answer).toEqual({
      text: 'batch too large',
      model: 'stand-in-gpt',
      inputTokens: 900,
      outputTokens: 80,
    });
    const sent = server.received[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-1');
    expect(sent.body).toMatchObject({
      model: 'gpt-test',
      max_tokens: 200,
      messages: [
        { role: 'system', content: 'You explain crashes.' },
        { role: 'user', content: 'Why did it crash?' },
      ],
    });
  });

  it('Anthropic: POST /v1/messages with x-api-key, anthropic-version and a system field', async () => {
    const server = await standIn();
    server.behave({ kind: 'answer', text: 'the learning rate' });
    const model = provider({
      provider: 'anthropic',
      model: 'claude-test',
      baseUrl: server.url,
      apiKey: 'ak-1',
    });
    expect((await model.complete(request)).text).toBe('the learning rate');
    const sent = server.received[0]!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe('ak-1');
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.body).toMatchObject({
      model: 'claude-test',
      system: 'You explain crashes.',
      max_tokens: 200,
    });
  });

  it('Bedrock: POST /model/{id}/converse signed with SigV4, the model id encoded in the path', async () => {
    const server = await standIn();
    server.behave({ kind: 'answer', text: 'NCCL timeout' });
    const model = provider({
      provider: 'bedrock',
      model: 'anthropic.claude-test-v1:0',
      baseUrl: server.url,
      aws: { region: 'us-east-1', accessKeyId: 'AKIDTEST', secretAccessKey: 'secret', sessionToken: 'tok' },
    });
    expect((await model.complete(request)).text).toBe('NCCL timeout');
    const sent = server.received[0]!;
    expect(sent.path).toBe('/model/anthropic.claude-test-v1%3A0/converse');
    expect(sent.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request, /,
    );
    expect(sent.headers['x-amz-security-token']).toBe('tok');
    expect(sent.body).toMatchObject({
      system: [{ text: 'You explain crashes.' }],
      messages: [{ role: 'user', content: [{ text: 'Why did it crash?' }] }],
      inferenceConfig: { maxTokens: 200 },
    });
  });

  it('Bedrock with an API key sends it as a bearer token (the stand-in wants SigV4: 403 is reported)', async () => {
    const server = await standIn();
    const model = provider({
      provider: 'bedrock',
      model: 'm',
      baseUrl: server.url,
      aws: { region: 'eu-west-1', bearerToken: 'br-1' },
    });
    const error = await model.complete(request).catch((e: unknown) => e);
    expect(server.received[0]!.headers.authorization).toBe('Bearer br-1');
    expect((error as AgentlogError).message).toMatch(
      /bedrock at http:\/\/127\.0\.0\.1:\d+ answered HTTP 403/,
    );
  });

  it('a provider that does not answer in time fails with a timeout, not a hang', async () => {
    const server = await standIn();
    server.behave({ kind: 'hang' });
    const model = provider({ provider: 'openai', model: 'm', baseUrl: server.url, timeoutMs: 300 });
    const error = await model.complete(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentlogError);
    expect((error as AgentlogError).code).toBe('UNAVAILABLE');
    expect((error as AgentlogError).message).toMatch(/did not answer within 300 ms/);
  });

  it('an answer that is not JSON, or JSON of another shape, is an error that says so', async () => {
    const server = await standIn();
    const model = provider({ provider: 'anthropic', model: 'm', baseUrl: server.url, apiKey: 'k' });
    server.behave({ kind: 'garbage', body: '<html>gateway</html>' });
    await expect(model.complete(request)).rejects.toThrow(
      /answered something that is not JSON: <html>gateway/,
    );
    server.behave({ kind: 'garbage', body: '{"choices": []}' });
    await expect(model.complete(request)).rejects.toThrow(/answered in an unexpected shape \(content:/);
  });

  it('an endpoint nobody listens on is reported as unreachable', async () => {
    const model = provider({ provider: 'openai', model: 'm', baseUrl: 'http://127.0.0.1:1/v1' });
    await expect(model.complete(request)).rejects.toThrow(/could not be reached/);
  });

  it('no provider configured is null; a provider without its model or key says which setting to add', () => {
    expect(createLlmProvider(llmSchema.parse({}))).toBeNull();
    expect(() => provider({ provider: 'openai' })).toThrow(/no model is set/);
    expect(() => provider({ provider: 'anthropic', model: 'm' })).toThrow(/ANTHROPIC_API_KEY/);
    expect(() => provider({ provider: 'bedrock', model: 'm', aws: { region: 'us-east-1' } })).toThrow(
      /AWS_ACCESS_KEY_ID/,
    );
  });
});
