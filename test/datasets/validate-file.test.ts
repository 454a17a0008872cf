import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validationReportSchema } from '../../src/datasets/dataset-contract.ts';
import { defaultFileValidation, validateFile } from '../../src/datasets/validate/validate-file.ts';
import { ownFixtures } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const fixture = (name: string) => join(ownFixtures, 'datasets', name);
const openai = { ...defaultFileValidation, format: 'openai' as const };
const tempDir = useTempDirs();

describe('dataset validate (any JSONL file)', () => {
  it('passes a good file, with the cookbook statistics', async () => {
    const report = await validateFile(fixture('good-openai.jsonl'), openai);
    expect(validationReportSchema.parse(report)).toEqual(report);
    expect(report.ok).toBe(true);
    expect(report.errors).toEqual([]);
    expect(report.stats.examples).toBe(12);
    expect(report.stats.messagesPerExample).toMatchObject({ min: 3, max: 5 });
    expect(report.stats.exactTokenCounts).toBe(12);
    expect(report.stats.totalTokens.min).toBeGreaterThan(20);
    expect(report.stats.billing.epochs).toBe(9);
  });

  it('names each problem with its line and code', async () => {
    const report = await validateFile(fixture('bad-openai.jsonl'), openai);
    expect(report.ok).toBe(false);
    const errors = report.errors.map((e) => [e.line, e.code]);
    expect(errors).toEqual([
      [2, 'invalid_json'],
      [3, 'data_type'],
      [4, 'missing_messages_list'],
      [5, 'unrecognized_role'],
      [6, 'tool_arguments_not_json'],
      [7, 'tool_call_unanswered'],
      [8, 'orphan_tool_message'],
      [9, 'invalid_weight'],
      [10, 'secret_found'],
      [12, 'message_unrecognized_key'],
      [13, 'blank_line'],
      [14, 'unrecognized_key'],
      [15, 'example_missing_assistant_message'],
    ]);
    expect(report.errors[8]!.message).not.toContain('ghp_');
    expect(report.warnings).toContainEqual({
      line: 11,
      code: 'exact_duplicate',
      message: 'The same example as line 1.',
    });
    expect(report.errorCount).toBe(13);
    expect(report.stats.examplesWithErrors).toBe(11);
  });

  it('checks the file as a whole: the minimum count, the token budget, near-duplicates', async () => {
    const few = await validateFile(fixture('good-openai.jsonl'), { ...openai, minExamples: 20 });
    expect(few.errors).toEqual([
      { line: null, code: 'too_few_examples', message: '12 examples; at least 20 are needed.' },
    ]);
    const tight = await validateFile(fixture('good-openai.jsonl'), { ...openai, maxExampleTokens: 64 });
    expect(tight.stats.overTokenBudget).toBeGreaterThan(0);
    expect(tight.errors.every((e) => e.code === 'over_token_budget')).toBe(true);
    const dir = tempDir();
    const answer = (end: string) =>
      `The cache misses because the key includes the request id, which changes on every call, so nothing is ever found twice; drop the id from the key ${end}`;
    const lines = ['first', 'second'].map((end) =>
      JSON.stringify({
        messages: [
          { role: 'user', content: 'Why does the cache always miss?' },
          { role: 'assistant', content: answer(end) },
        ],
      }),
    );
    writeFileSync(join(dir, 'near.jsonl'), `${lines.join('\n')}\n`);
    const near = await validateFile(join(dir, 'near.jsonl'), { ...openai, minExamples: 1 });
    expect(near.warnings.find((w) => w.code === 'near_duplicate')).toMatchObject({ line: 2 });
  });

  it('refuses bytes that are not UTF-8, a byte order mark, and a missing file', async () => {
    const dir = tempDir();
    const good =
      '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"Hello, how can I help?"}]}';
    writeFileSync(
      join(dir, 'bytes.jsonl'),
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(`${good}\n`),
        Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]),
      ]),
    );
    const report = await validateFile(join(dir, 'bytes.jsonl'), { ...openai, minExamples: 1 });
    expect(report.errors.map((e) => [e.line, e.code])).toEqual([
      [1, 'bom'],
      [2, 'invalid_utf8'],
    ]);
    await expect(validateFile(join(dir, 'none.jsonl'), openai)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('validates the other targets by their own rules', async () => {
    const dir = tempDir();
    const sharegpt = JSON.stringify({
      conversations: [
        { from: 'gpt', value: 'hi' },
        { from: 'human', value: 'hello' },
      ],
    });
    writeFileSync(join(dir, 'sg.jsonl'), `${sharegpt}\n`);
    const report = await validateFile(join(dir, 'sg.jsonl'), {
      ...openai,
      format: 'sharegpt',
      minExamples: 1,
    });
    expect(report.errors.map((e) => e.code)).toEqual([
      'alternation',
      'alternation',
      'first_not_user',
      'last_not_assistant',
    ]);
  });
});
