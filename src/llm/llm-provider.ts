/** One question to a model: a system prompt and one user prompt (crash analysis needs no more). */
export type LlmRequest = { system: string; prompt: string; maxTokens: number };

export type LlmAnswer = {
  text: string;
  /** The model that answered, as the provider names it. */
  model: string;
  inputTokens: number | null;
  outputTokens: number | null;
};

/**
 * A chat model behind one interface. Each provider file speaks one API shape
 * (openai-compatible.ts, anthropic.ts, bedrock.ts) and fails with an AgentlogError (UNAVAILABLE)
 * that names the provider and what went wrong: timeout, HTTP status, or an answer it cannot read.
 */
export interface LlmProvider {
  /** `openai`, `anthropic` or `bedrock`. */
  readonly name: string;
  readonly model: string;
  complete(request: LlmRequest): Promise<LlmAnswer>;
}
