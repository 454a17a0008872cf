import { z } from 'zod';
import type { LlmAnswer, LlmProvider, LlmRequest } from './llm-provider.ts';
import { postJson } from './post-json.ts';
import { awsUriEncode, signV4, type AwsCredentials } from './sigv4.ts';

const answerSchema = z.object({
  output: z.object({
    message: z.object({ content: z.array(z.object({ text: z.string().optional() }).loose()) }),
  }),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }).partial().optional(),
});

export type BedrockOptions = {
  /** A model id or inference profile (`anthropic.claude-3-5-haiku-20241022-v1:0`, an ARN). */
  model: string;
  region: string;
  /** Default `https://bedrock-runtime.<region>.amazonaws.com`. */
  baseUrl: string | undefined;
  /** SigV4 credentials, or a Bedrock API key sent as a bearer token. */
  auth: { credentials: AwsCredentials } | { bearerToken: string };
  timeoutMs: number;
};

/** Amazon Bedrock's Converse API, signed with SigV4 (no AWS SDK needed for one POST). */
export function createBedrock(options: BedrockOptions): LlmProvider {
  const base = (options.baseUrl ?? `https://bedrock-runtime.${options.region}.amazonaws.com`).replace(
    /\/+$/,
    '',
  );
  const url = new URL(`${base}/model/${awsUriEncode(options.model)}/converse`);
  return {
    name: 'bedrock',
    model: options.model,
    async complete(request: LlmRequest): Promise<LlmAnswer> {
      const body = JSON.stringify({
        system: [{ text: request.system }],
        messages: [{ role: 'user', content: [{ text: request.prompt }] }],
        inferenceConfig: { maxTokens: request.maxTokens, temperature: 0 },
      });
      const base = { 'content-type': 'application/json', accept: 'application/json' };
      const headers =
        'bearerToken' in options.auth
          ? { ...base, authorization: `Bearer ${options.auth.bearerToken}` }
          : signV4({
              method: 'POST',
              url,
              headers: base,
              body,
              region: options.region,
              service: 'bedrock',
              credentials: options.auth.credentials,
            });
      const answer = await postJson(
        { provider: 'bedrock', url: url.toString(), headers, body, timeoutMs: options.timeoutMs },
        answerSchema,
      );
      return {
        text: answer.output.message.content.flatMap((c) => (c.text ? [c.text] : [])).join('\n'),
        model: options.model,
        inputTokens: answer.usage?.inputTokens ?? null,
        outputTokens: answer.usage?.outputTokens ?? null,
      };
    },
  };
}
