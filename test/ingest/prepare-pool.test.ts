import { afterEach, describe, expect, it } from 'vitest';
import { IngestPipeline, defaultPipelineSettings } from '../../src/enrich/ingest-pipeline.ts';
import { apiMessageRecord, apiSessionStartRecord } from '../../src/ingest/api-messages.ts';
import { PreparePool } from '../../src/ingest/prepare-pool.ts';
import type { PrepareInput } from '../../src/ingest/prepare-wire.ts';
import { prepareItem } from '../../src/ingest/prepared-item.ts';

const pools: PreparePool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.close();
});

function input(id: string, content: string): PrepareInput {
  const message = { id, session: 's1', role: 'user' as const, content };
  // A view into a larger buffer, as the server's small Buffers are.
  const bytes = Buffer.concat([Buffer.from('padding'), Buffer.from(JSON.stringify(message))]).subarray(7);
  return { record: apiMessageRecord(message, 1000, 0), raw: bytes };
}

const inputs = [
  input('clean', 'hello there'),
  input('secret', 'my key is AKIAIOSFODNN7EXAMPLE and mail me at someone@example.com'),
  input('large', 'lorem ipsum dolor '.repeat(100)),
  input('large-secret', `${'lorem ipsum '.repeat(100)} AKIAIOSFODNN7EXAMPLE`),
  { record: apiSessionStartRecord('s2', { title: 'T' }), raw: null },
];

describe('PreparePool', () => {
  it('prepares records exactly as the pipeline does on this thread', async () => {
    const pool = new PreparePool(1);
    pools.push(pool);
    const prepared = await pool.prepare(new IngestPipeline(), inputs);
    const inline = new IngestPipeline();
    const expected = inputs.map((item) => prepareItem(inline, item.record, item.raw));
    expect(prepared.map(comparable)).toEqual(expected.map(comparable));
    expect(JSON.stringify(prepared.map(comparable))).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('keeps each pipeline with its own settings', async () => {
    const pool = new PreparePool(2);
    pools.push(pool);
    const off = new IngestPipeline({ ...defaultPipelineSettings, redaction: { policy: 'off', pii: false } });
    const [masked, kept] = await Promise.all([
      pool.prepare(new IngestPipeline(), [inputs[1]!]),
      pool.prepare(off, [inputs[1]!]),
    ]);
    expect(masked[0]!.record.message!.text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(kept[0]!.record.message!.text).toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('refuses work once closed', async () => {
    const pool = new PreparePool(1);
    await pool.close();
    await expect(pool.prepare(new IngestPipeline(), inputs)).rejects.toThrow(/closed/);
  });
});

/** Bytes as plain arrays, so a view and a copy of the same bytes compare equal. */
function comparable(item: ReturnType<typeof prepareItem>) {
  return { ...item, raw: item.raw === null ? null : { ...item.raw, data: [...item.raw.data] } };
}
