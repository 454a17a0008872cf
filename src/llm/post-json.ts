import type { z } from 'zod';
import { AgentlogError } from '../domain/errors.ts';

export type JsonPost = {
  /** Used in error messages: `anthropic at https://...`. */
  provider: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
};

const shownBody = 300;

/**
 * POSTs a JSON body and reads the answer with `schema`. A timeout, a refused connection, an
 * HTTP error or an answer of another shape all become one UNAVAILABLE error saying which.
 */
export async function postJson<T>(post: JsonPost, schema: z.ZodType<T>): Promise<T> {
  const where = `${post.provider} at ${new URL(post.url).origin}`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(post.url, {
      method: 'POST',
      headers: post.headers,
      body: post.body,
      signal: AbortSignal.timeout(post.timeoutMs),
    });
    text = await response.text();
  } catch (cause) {
    const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
    const reason = timedOut
      ? `did not answer within ${post.timeoutMs} ms`
      : `could not be reached (${describe(cause)})`;
    throw new AgentlogError('UNAVAILABLE', `The model provider ${where} ${reason}.`, {
      hint: 'Check llm.baseUrl (AGENTLOG_LLM_BASE_URL) and the network, or raise llm.timeoutMs.',
      cause,
    });
  }
  if (!response.ok) {
    throw new AgentlogError(
      'UNAVAILABLE',
      `The model provider ${where} answered HTTP ${response.status}: ${text.slice(0, shownBody)}`,
      { hint: 'Check the model name and the credentials of the provider.' },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new AgentlogError(
      'UNAVAILABLE',
      `The model provider ${where} answered something that is not JSON: ${text.slice(0, shownBody)}`,
      { cause },
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AgentlogError(
      'UNAVAILABLE',
      `The model provider ${where} answered in an unexpected shape (${issue?.path.join('.') || '(root)'}: ${issue?.message}).`,
      { hint: 'Is llm.provider right for this endpoint?' },
    );
  }
  return parsed.data;
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? cause.cause.message : null;
    return inner ?? cause.message;
  }
  return String(cause);
}
