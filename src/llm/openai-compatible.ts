import { z } from 'zod';
import type { LlmAnswer, LlmProvider, LlmRequest } from './llm-provider.ts';
import { postJson } from './post-json.ts';

const answerSchema = z.object({
  model: z.string().optional(),
  choices: z.array(z.object({ message: z.object({ content: z.string() }) })).min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).partial().optional(),
});

export type OpenAiCompatibleOptions = {
  model: string;
  /** Up to the version path: `https://api.openai.com/v1`, `http://localhost:11434/v1`. */
  baseUrl: string;
  apiKey: string | undefined;
  timeoutMs: number;
};

/** Any server speaking OpenAI's chat completions API (OpenAI, vLLM, Ollama, LiteLLM, ...). */
export function createOpenAiCompatible(options: OpenAiCompatibleOptions): LlmProvider {
  return {
    name: 'openai',
    model: options.model,
    async complete(request: LlmRequest): Promise<LlmAnswer> {
      const answer = await postJson(
        {
          provider: 'openai',
          url: `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`,
          headers: {
            'content-type': 'application/json',
            ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
          },
          body: JSON.stringify({
            model: options.model,
            max_tokens: request.maxTokens,
            temperature: 0,
            messages: [
              { role: 'system', content: request.system },
              { role: 'user', content: request.prompt },
            ],
          }),
          timeoutMs: options.timeoutMs,
        },
        answerSchema,
      );
      return {
        text: answer.choices[0]!.message.content,
        model: answer.model ?? options.model,
        inputTokens: answer.usage?.prompt_tokens ?? null,
        outputTokens: answer.usage?.completion_tokens ?? null,
      };
    },
  };
}
