import type { ChatMessage, ToolCall } from '../example.ts';
import type { Problem } from '../validate/finding-codes.ts';

export const jsonlTargets = ['openai', 'trl', 'sharegpt', 'bedrock'] as const;
export type JsonlTarget = (typeof jsonlTargets)[number];

/** An example as one line's JSON value, or why this format cannot hold it. */
export type Encoded = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

/** A line read back into the common shape, with what this format's rules find wrong in it. */
export type Decoded = {
  /** null when the line is too broken to read as an example. */
  messages: ChatMessage[] | null;
  /** Tool names the line declares, or null when it declares none. */
  declaredTools: Set<string> | null;
  problems: Problem[];
};

/**
 * A JSONL training format (one file per target, same shape in each): how an example is written,
 * and how a line of the format is read back and checked. `decode(encode(x))` gives x back, up to
 * what the format cannot hold (weights, text beside a call in ShareGPT); a test checks it.
 */
export interface TargetFormat {
  readonly name: JsonlTarget;
  /** Whether the format marks each assistant message trained or not (weight). */
  readonly weights: boolean;
  /** Whether `encode` can refuse an example (a build then tries it while judging examples). */
  readonly refuses: boolean;
  encode(messages: readonly ChatMessage[]): Encoded;
  decode(value: unknown): Decoded;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A tool name as the targets accept it: invalid characters become `_`, at most 64 characters. */
export function exportedToolName(name: string): string {
  const clean = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return clean.length === 0 ? 'tool' : clean;
}

export type ToolSpec = { name: string; description: string; parameters: Record<string, unknown> };

/**
 * Tool definitions for the tools an example calls. Transcripts do not carry them, so each
 * tool's parameters are inferred from the arguments of its calls in the example: every key seen,
 * its JSON types, and `required` for keys present in every call. Sorted by name.
 */
export function inferTools(messages: readonly ChatMessage[]): ToolSpec[] {
  const calls = new Map<string, ToolCall[]>();
  for (const m of messages)
    if (m.role === 'assistant')
      for (const call of m.toolCalls) {
        const name = exportedToolName(call.name);
        calls.set(name, [...(calls.get(name) ?? []), call]);
      }
  return [...calls.keys()].sort().map((name) => ({
    name,
    description: `The ${name} tool.`,
    parameters: parametersOf(calls.get(name)!),
  }));
}

function parametersOf(calls: readonly ToolCall[]): Record<string, unknown> {
  const types = new Map<string, Set<string>>();
  const counts = new Map<string, number>();
  for (const call of calls)
    for (const [key, value] of Object.entries(call.arguments)) {
      const set = types.get(key) ?? new Set<string>();
      set.add(jsonType(value));
      types.set(key, set);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  const keys = [...types.keys()].sort();
  const properties = Object.fromEntries(
    keys.map((key) => {
      const list = [...types.get(key)!].sort();
      return [key, list.length === 1 ? { type: list[0] } : { type: list }];
    }),
  );
  const required = keys.filter((k) => counts.get(k) === calls.length);
  return { type: 'object', properties, required };
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value === 'object' ? 'object' : typeof value;
}

/** The decoded tool message for a call: its name from the call when the format names only the id. */
export function namesOfCalls(messages: readonly ChatMessage[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const m of messages) if (m.role === 'assistant') for (const c of m.toolCalls) names.set(c.id, c.name);
  return names;
}
