import type { z } from 'zod';
import { AgentlogError } from '../domain/errors.ts';

/** The first problem of a failed parse, said as `path: what is wrong`, for an answer to a client. */
export function zodReason(error: z.ZodError, prefix = ''): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid';
  const path = [prefix, ...issue.path.map(String)].filter((p) => p.length > 0).join('.');
  return path.length === 0 ? issue.message : `${path}: ${issue.message}`;
}

/** Parses request input (query, params, body); INVALID_ARGUMENT naming the field otherwise. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AgentlogError('INVALID_ARGUMENT', `Invalid ${what}: ${zodReason(parsed.error)}.`, {
    hint: 'See /openapi.json for the shape of this request.',
  });
}
