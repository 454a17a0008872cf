import { z } from 'zod';
import type { LlmAnswer, LlmProvider, LlmRequest } from './llm-provider.ts';
import { postJson } from './post-json.ts';

const answerSchema = z.object({
  model: z.string().optional(),
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
  usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }).partial().optional(),
});

export type AnthropicOptions = {
  model: string;
  /** `https://api.anthropic.com` (the path `/v1/messages` is added). */
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
};

const apiVersion = '2023-06-01';

/** Anthropic's Messages API. */
export function createAnthropic(options: AnthropicOptions): LlmProvider {
  return {
    name: 'anthropic',
    model: options.model,
    async complete(request: LlmRequest): Promise<LlmAnswer> {
      const answer = await postJson(
        {
          provider: 'anthropic',
          url: `${options.baseUrl.replace(/\/+$/, '')}/v1/messages`,
          headers: {
            'content-type': 'application/json',
            'x-api-key': options.apiKey,
            'anthropic-version': apiVersion,
          },
          body: JSON.stringify({
            model: options.model,
            max_tokens: request.maxTokens,
            temperature: 0,
            system: request.system,
            messages: [{ role: 'user', content: request.prompt }],
          }),
          timeoutMs: options.timeoutMs,
        },
        answerSchema,
      );
      return {
        text: answer.content
          .flatMap((block) => (block.type === 'text' && block.text ? [block.text] : []))
          .join('\n'),
        model: answer.model ?? options.model,
        inputTokens: answer.usage?.input_tokens ?? null,
        outputTokens: answer.usage?.output_tokens ?? null,
      };
    },
  };
}
