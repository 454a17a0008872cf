import { describe, expect, it } from 'vitest';
import { apiMessageSchema } from '../../src/domain/api-message.ts';
import { commonMessage, parseApiMessage } from '../../src/server/parse-api-message.ts';

const base = {
  id: 'm1',
  session: 's1',
  role: 'user',
  content: 'hello',
  speaker: { name: 'alice', role: 'customer' },
  timestamp: 1_767_323_045_000,
  model: 'gpt-5',
  metadata: { bench: true, nested: { a: [1, 2] } },
};

const long = 'x'.repeat(513);

/** Each a change to `base`: a field removed (undefined), replaced, or added. */
const variants: Record<string, unknown>[] = [
  {},
  { speaker: undefined, timestamp: undefined, model: undefined, metadata: undefined },
  { role: 'assistant' },
  { role: 'tool' },
  { role: 'robot' },
  { id: '' },
  { id: 'x'.repeat(512) },
  { id: long },
  { id: 7 },
  { session: null },
  { session: long },
  { content: '' },
  { content: [{ type: 'text', text: 'hi' }] },
  { content: 5 },
  { content: null },
  { speaker: null },
  { speaker: { name: 'a' } },
  { speaker: { name: '', role: 'r' } },
  { speaker: { name: 'a', role: '' } },
  { speaker: { name: 'a', role: long } },
  { speaker: { name: 'a', role: 'r', extra: 1 } },
  { speaker: ['a', 'r'] },
  { timestamp: 0 },
  { timestamp: -1 },
  { timestamp: 1.5 },
  { timestamp: Number.MAX_SAFE_INTEGER + 2 },
  { timestamp: '2026-01-02T03:04:05Z' },
  { timestamp: '2026-01-02' },
  { timestamp: null },
  { model: '' },
  { model: long },
  { model: 3 },
  { metadata: null },
  { metadata: [] },
  { metadata: 'text' },
  { metadata: {} },
  { metadata: Object.create(null) as object },
  { unknownField: 1 },
];

describe('parseApiMessage: the schema with a fast path', () => {
  it('answers exactly as apiMessageSchema does, for valid and invalid messages alike', () => {
    for (const change of variants) {
      const value = { ...base, ...change };
      for (const key of Object.keys(change))
        if (change[key] === undefined) delete (value as Record<string, unknown>)[key];
      const expected = apiMessageSchema.safeParse(value);
      const actual = parseApiMessage(value);
      expect({ change, success: actual.success }).toEqual({ change, success: expected.success });
      if (expected.success && actual.success) expect(actual.data).toEqual(expected.data);
      if (!expected.success && !actual.success) expect(actual.error.issues).toEqual(expected.error.issues);
    }
    for (const value of [null, 'text', 3, [base], undefined]) {
      expect(parseApiMessage(value).success).toBe(false);
      expect(commonMessage(value)).toBeNull();
    }
  });

  it('takes the fast path for the common shape, and leaves blocks and ISO times to the schema', () => {
    expect(commonMessage(base)).toEqual(apiMessageSchema.parse(base));
    expect(commonMessage({ id: 'a', session: 'b', role: 'user', content: '' })).not.toBeNull();
    expect(commonMessage({ ...base, content: [{ type: 'text', text: 'hi' }] })).toBeNull();
    expect(commonMessage({ ...base, timestamp: '2026-01-02T03:04:05Z' })).toBeNull();
    expect(commonMessage({ ...base, unknownField: 1 })).toBeNull();
  });
});
