import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/datasets/example.ts';
import { targetFormats } from '../../src/datasets/formats/formats.ts';
import { jsonlTargets } from '../../src/datasets/formats/target-format.ts';
import { checkExample } from '../../src/datasets/validate/example-checks.ts';
import { severityOf } from '../../src/datasets/validate/finding-codes.ts';

/** Two parallel calls in one turn, one failing, then the answer. */
const example: ChatMessage[] = [
  { role: 'system', content: 'You are a coding agent.' },
  { role: 'user', content: 'Check both files.' },
  {
    role: 'assistant',
    content: '',
    toolCalls: [
      { id: 'toolu_a', name: 'Read', arguments: { path: 'a.ts' } },
      { id: 'toolu_b', name: 'mcp__fs.read', arguments: { path: 'b.ts', lines: 20 } },
    ],
    weight: 1,
  },
  { role: 'tool', toolCallId: 'toolu_a', name: 'Read', content: 'export const a = 1;', isError: false },
  { role: 'tool', toolCallId: 'toolu_b', name: 'mcp__fs.read', content: 'ENOENT', isError: true },
  { role: 'assistant', content: 'a.ts exports a = 1; b.ts does not exist.', toolCalls: [], weight: 1 },
];

const errors = (messages: ChatMessage[]) =>
  checkExample(messages, { declaredTools: null, toolNames: true }).filter((p) => severityOf(p) === 'error');

describe('target formats', () => {
  it('OpenAI: arguments as JSON strings, tool messages by tool_call_id, weights, tools declared', () => {
    const encoded = targetFormats.openai.encode(example);
    expect(encoded.ok).toBe(true);
    if (!encoded.ok) return;
    const line = JSON.parse(JSON.stringify(encoded.value));
    const call = line.messages[2];
    expect(call.content).toBeUndefined();
    expect(call.weight).toBe(1);
    expect(call.tool_calls[1]).toEqual({
      id: 'toolu_b',
      type: 'function',
      function: { name: 'mcp__fs_read', arguments: '{"path":"b.ts","lines":20}' },
    });
    expect(line.messages[3]).toEqual({
      role: 'tool',
      tool_call_id: 'toolu_a',
      content: 'export const a = 1;',
    });
    expect(line.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual([
      'Read',
      'mcp__fs_read',
    ]);
    expect(line.tools[1].function.parameters).toEqual({
      type: 'object',
      properties: { lines: { type: 'integer' }, path: { type: 'string' } },
      required: ['lines', 'path'],
    });
  });

  it('TRL: arguments as objects, tool messages with the name; context turns as prompt/completion', () => {
    const encoded = targetFormats.trl.encode(example);
    if (!encoded.ok) throw new Error(encoded.reason);
    const messages = encoded.value.messages as Record<string, unknown>[];
    expect(
      (messages[2]!.tool_calls as { function: { arguments: unknown } }[])[0]!.function.arguments,
    ).toEqual({ path: 'a.ts' });
    expect(messages[4]).toMatchObject({ role: 'tool', name: 'mcp__fs_read', content: 'ENOENT' });
    const window = example.map((m, i) =>
      m.role === 'assistant' && i === 2 ? { ...m, weight: 0 as const } : m,
    );
    const split = targetFormats.trl.encode(window);
    if (!split.ok) throw new Error(split.reason);
    expect((split.value.prompt as unknown[]).length).toBe(5);
    expect((split.value.completion as unknown[]).length).toBe(1);
  });

  it('ShareGPT: odd and even positions, parallel calls as one function_call and one observation', () => {
    const encoded = targetFormats.sharegpt.encode(example);
    if (!encoded.ok) throw new Error(encoded.reason);
    const turns = encoded.value.conversations as { from: string; value: string }[];
    expect(turns.map((t) => t.from)).toEqual(['human', 'function_call', 'observation', 'gpt']);
    expect(JSON.parse(turns[1]!.value)).toEqual([
      { name: 'Read', arguments: { path: 'a.ts' } },
      { name: 'mcp__fs_read', arguments: { path: 'b.ts', lines: 20 } },
    ]);
    expect(JSON.parse(turns[2]!.value)).toEqual(['export const a = 1;', 'ENOENT']);
    expect(encoded.value.system).toBe('You are a coding agent.');
    expect(typeof encoded.value.tools).toBe('string');
  });

  it('Bedrock: strict alternation, tool results merged into one user turn with their status', () => {
    const encoded = targetFormats.bedrock.encode(example);
    if (!encoded.ok) throw new Error(encoded.reason);
    const messages = encoded.value.messages as { role: string; content: Record<string, unknown>[] }[];
    expect(encoded.value.schemaVersion).toBe('bedrock-conversation-2024');
    expect(encoded.value.system).toEqual([{ text: 'You are a coding agent.' }]);
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(messages[2]!.content).toEqual([
      { toolResult: { toolUseId: 'toolu_a', content: [{ text: 'export const a = 1;' }], status: 'success' } },
      { toolResult: { toolUseId: 'toolu_b', content: [{ text: 'ENOENT' }], status: 'error' } },
    ]);
    expect(messages[1]!.content[1]).toEqual({
      toolUse: { toolUseId: 'toolu_b', name: 'mcp__fs_read', input: { path: 'b.ts', lines: 20 } },
    });
  });

  it.each(jsonlTargets)('%s: what is written reads back valid, with its calls answered', (target) => {
    const format = targetFormats[target];
    const encoded = format.encode(example);
    if (!encoded.ok) throw new Error(encoded.reason);
    const decoded = format.decode(JSON.parse(JSON.stringify(encoded.value)));
    expect(decoded.problems.filter((p) => severityOf(p) === 'error')).toEqual([]);
    expect(errors(decoded.messages!)).toEqual([]);
    const calls = decoded.messages!.flatMap((m) => (m.role === 'assistant' ? m.toolCalls : []));
    expect(calls.map((c) => c.arguments)).toEqual([{ path: 'a.ts' }, { path: 'b.ts', lines: 20 }]);
    expect(decoded.messages!.at(-1)).toMatchObject({
      role: 'assistant',
      content: 'a.ts exports a = 1; b.ts does not exist.',
    });
  });

  it('refuses what a format cannot hold, with the reason', () => {
    const afterTool: ChatMessage[] = [
      example[1]!,
      { role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'Read', arguments: {} }], weight: 1 },
      { role: 'tool', toolCallId: 'c', name: 'Read', content: 'x', isError: false },
      { role: 'user', content: 'stop' },
      { role: 'assistant', content: 'Stopped.', toolCalls: [], weight: 1 },
    ];
    const sharegpt = targetFormats.sharegpt.encode(afterTool);
    expect(sharegpt).toEqual({
      ok: false,
      reason: expect.stringContaining('model turn between a tool output'),
    });
    expect(
      targetFormats.bedrock.encode([{ role: 'assistant', content: 'hi', toolCalls: [], weight: 1 }]).ok,
    ).toBe(false);
  });
});
