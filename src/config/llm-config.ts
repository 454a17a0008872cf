import { z } from 'zod';

export const llmProviders = ['none', 'openai', 'anthropic', 'bedrock'] as const;
export type LlmProviderName = (typeof llmProviders)[number];

/**
 * The model that explains crashes. `openai` is any OpenAI-compatible chat completions endpoint
 * (OpenAI, vLLM, Ollama, LiteLLM, ...); `none` keeps to the built-in analysis.
 */
export const llmSchema = z
  .object({
    provider: z.enum(llmProviders).default('none'),
    model: z.string().min(1).optional(),
    /** The endpoint's base URL; each provider has its public default. */
    baseUrl: z.url().optional(),
    /** OpenAI-compatible and Anthropic keys. */
    apiKey: z.string().min(1).optional(),
    /** Amazon Bedrock: region and credentials (SigV4), or a Bedrock API key (bearer token). */
    aws: z
      .object({
        region: z.string().min(1).optional(),
        accessKeyId: z.string().min(1).optional(),
        secretAccessKey: z.string().min(1).optional(),
        sessionToken: z.string().min(1).optional(),
        bearerToken: z.string().min(1).optional(),
      })
      .prefault({}),
    /** A provider that has not answered after this long is given up on (the built-in analysis is used). */
    timeoutMs: z.number().int().min(100).max(600_000).default(60_000),
    maxOutputTokens: z.number().int().min(64).max(32_000).default(1500),
    /** Tokens of the prompt: error, log tail, config and conversation excerpts share it. */
    promptTokens: z.number().int().min(1000).max(400_000).default(12_000),
  })
  .prefault({});

export type LlmConfig = z.infer<typeof llmSchema>;

type Env = Readonly<Record<string, string | undefined>>;

const set = <T>(key: string, value: T | undefined) =>
  value === undefined || value === '' ? {} : { [key]: value };

/** Environment over the file: AGENTLOG_LLM_* and each provider's usual credential variables. */
export function llmInputs(fromFile: Record<string, unknown> | undefined, env: Env): Record<string, unknown> {
  const provider = env.AGENTLOG_LLM_PROVIDER || fromFile?.provider;
  const providerKey =
    provider === 'anthropic' ? env.ANTHROPIC_API_KEY : provider === 'openai' ? env.OPENAI_API_KEY : undefined;
  const fileAws = (fromFile?.aws ?? {}) as Record<string, unknown>;
  return {
    ...fromFile,
    ...set('provider', env.AGENTLOG_LLM_PROVIDER),
    ...set('model', env.AGENTLOG_LLM_MODEL),
    ...set('baseUrl', env.AGENTLOG_LLM_BASE_URL),
    ...set('apiKey', env.AGENTLOG_LLM_API_KEY || providerKey),
    ...set('timeoutMs', env.AGENTLOG_LLM_TIMEOUT_MS ? Number(env.AGENTLOG_LLM_TIMEOUT_MS) : undefined),
    aws: {
      ...fileAws,
      ...set('region', env.AWS_REGION || env.AWS_DEFAULT_REGION),
      ...set('accessKeyId', env.AWS_ACCESS_KEY_ID),
      ...set('secretAccessKey', env.AWS_SECRET_ACCESS_KEY),
      ...set('sessionToken', env.AWS_SESSION_TOKEN),
      ...set('bearerToken', env.AWS_BEARER_TOKEN_BEDROCK),
    },
  };
}
