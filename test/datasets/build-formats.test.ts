import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDuck } from '../../src/archive/duckdb.ts';
import { jsonlTargets } from '../../src/datasets/formats/target-format.ts';
import { defaultFileValidation, validateFile } from '../../src/datasets/validate/validate-file.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { codingTurns, filesOf, openAgentlog, seedSession } from './dataset-fixture.ts';

const tempDir = useTempDirs();

describe('dataset build: every output format', () => {
  it('writes each JSONL target, each valid by its own rules, turns strategy included', async () => {
    const dir = tempDir();
    const agentlog = await openAgentlog(dir);
    try {
      for (let i = 0; i < 6; i++)
        await seedSession(agentlog, `s${i}`, [
          ...codingTurns(i),
          ...codingTurns(i + 20).slice(0, 1),
          ...codingTurns(i + 20).slice(3),
        ]);
      const files = filesOf(agentlog);
      await files.create({ name: 'all', filter: 'source=fixture' });
      for (const format of jsonlTargets) {
        const out = join(dir, format);
        const summary = await files.build(
          'all',
          { format, strategy: 'turns', validationFraction: 0 },
          { out },
        );
        expect(summary.examples).toBe(12);
        const report = await validateFile(join(out, 'train.jsonl'), { ...defaultFileValidation, format });
        expect(report.errors).toEqual([]);
        expect(summary.warnings.length > 0).toBe(format === 'sharegpt' || format === 'bedrock');
      }
      const trl = readFileSync(join(dir, 'trl', 'train.jsonl'), 'utf8').split('\n')[1]!;
      expect(Object.keys(JSON.parse(trl))).toEqual(['prompt', 'completion', 'tools']);
    } finally {
      await agentlog.close();
    }
  });

  it('writes Parquet through DuckDB, the same bytes every time', async () => {
    const dir = tempDir();
    const agentlog = await openAgentlog(dir);
    try {
      for (let i = 0; i < 10; i++) await seedSession(agentlog, `s${i}`, codingTurns(i));
      const files = filesOf(agentlog);
      await files.create({ name: 'pq', filter: 'source=fixture' });
      const summary = await files.build(
        'pq',
        { format: 'parquet', validationFraction: 0 },
        { out: join(dir, 'out') },
      );
      const again = await files.build('pq', { format: 'parquet', validationFraction: 0 });
      expect(again.digest).toBe(summary.digest);
      const duck = await openDuck({ threads: 1 });
      try {
        const reader = await duck.connection.runAndReadAll(
          `SELECT count(*) AS n, min(json_array_length(messages)) AS m, min(split) AS s FROM read_parquet('${join(dir, 'out', 'train.parquet')}')`,
        );
        expect(reader.getRowObjectsJson()).toEqual([{ n: '10', m: '4', s: 'train' }]);
      } finally {
        duck.close();
      }
    } finally {
      await agentlog.close();
    }
  });

  it('writes the aggregated JSON document (schema agentlog.training-file/1)', async () => {
    const dir = tempDir();
    const agentlog = await openAgentlog(dir);
    try {
      for (let i = 0; i < 10; i++) await seedSession(agentlog, `s${i}`, codingTurns(i));
      await seedSession(agentlog, 'short', [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'ok' },
      ]);
      const files = filesOf(agentlog);
      await files.create({ name: 'doc', filter: 'source=fixture' });
      const summary = await files.build('doc', { format: 'json' }, { out: join(dir, 'out') });
      expect(summary.files.map((f) => f.name)).toEqual(['dataset.json', 'manifest.json']);
      const doc = JSON.parse(readFileSync(join(dir, 'out', 'dataset.json'), 'utf8'));
      expect(Object.keys(doc)).toEqual([
        'schema',
        'file',
        'configuration',
        'quality',
        'split',
        'distribution',
        'conversations',
        'examples',
        'dropped',
      ]);
      expect(doc.schema).toBe('agentlog.training-file/1');
      expect(doc.file).toMatchObject({ name: 'doc', sessions: 11 });
      expect(doc.conversations).toHaveLength(11);
      expect(doc.examples).toHaveLength(10);
      expect(doc.examples[0]).toMatchObject({
        id: expect.stringMatching(/^ex_/),
        sessionId: expect.stringMatching(/^ses_/),
        split: expect.stringMatching(/^(train|validation)$/),
        quality: { score: expect.any(Number), components: expect.any(Object) },
        tokens: { total: expect.any(Number) },
      });
      expect(doc.examples[0].messages[1].toolCalls[0].arguments).toEqual({ command: expect.any(String) });
      expect(doc.dropped).toEqual([expect.objectContaining({ reason: 'low_quality' })]);
      expect(doc.distribution.source).toEqual({ fixture: 10 });
      expect(doc.quality).toEqual(summary.quality);
    } finally {
      await agentlog.close();
    }
  });
});
