import type { LlmConfig } from '../config/llm-config.ts';
import { AgentlogError } from '../domain/errors.ts';
import { createAnthropic } from './anthropic.ts';
import { createBedrock } from './bedrock.ts';
import type { LlmProvider } from './llm-provider.ts';
import { createOpenAiCompatible } from './openai-compatible.ts';

/**
 * The configured model, or null when none is (`provider: none`). A provider named but missing
 * its model or credentials is a configuration error that says which setting to add.
 */
export function createLlmProvider(config: LlmConfig): LlmProvider | null {
  if (config.provider === 'none') return null;
  const model = config.model;
  if (model === undefined) {
    throw new AgentlogError('INVALID_ARGUMENT', `llm.provider is "${config.provider}" but no model is set.`, {
      hint: 'Set AGENTLOG_LLM_MODEL (or llm.model in config.json).',
    });
  }
  const timeoutMs = config.timeoutMs;
  switch (config.provider) {
    case 'openai':
      return createOpenAiCompatible({
        model,
        baseUrl: config.baseUrl ?? 'https://api.openai.com/v1',
        apiKey: config.apiKey,
        timeoutMs,
      });
    case 'anthropic':
      if (config.apiKey === undefined) throw missing('ANTHROPIC_API_KEY (or AGENTLOG_LLM_API_KEY)');
      return createAnthropic({
        model,
        baseUrl: config.baseUrl ?? 'https://api.anthropic.com',
        apiKey: config.apiKey,
        timeoutMs,
      });
    case 'bedrock':
      return createBedrock({
        model,
        region: bedrockRegion(config),
        baseUrl: config.baseUrl,
        auth: bedrockAuth(config),
        timeoutMs,
      });
    default:
      return config.provider satisfies never;
  }
}

function bedrockRegion(config: LlmConfig): string {
  if (config.aws.region === undefined) throw missing('AWS_REGION');
  return config.aws.region;
}

function bedrockAuth(config: LlmConfig) {
  const { accessKeyId, secretAccessKey, sessionToken, bearerToken } = config.aws;
  if (accessKeyId !== undefined && secretAccessKey !== undefined)
    return { credentials: { accessKeyId, secretAccessKey, sessionToken } };
  if (bearerToken !== undefined) return { bearerToken };
  throw missing('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_BEARER_TOKEN_BEDROCK)');
}

function missing(what: string): AgentlogError {
  return new AgentlogError('INVALID_ARGUMENT', `The model provider needs ${what}.`, {
    hint: 'Set it in the environment, or in the llm block of config.json.',
  });
}
