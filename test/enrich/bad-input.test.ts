import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/domain/blocks.ts';
import type { MessageInput } from '../../src/domain/message.ts';
import type { Enricher } from '../../src/enrich/enricher.ts';
import { ingestEnrichers } from '../../src/enrich/enrichers.ts';
import { defaultPipelineSettings, IngestPipeline } from '../../src/enrich/ingest-pipeline.ts';
import { Ingestor } from '../../src/ingest/ingestor.ts';
import type { ParsedRecord } from '../../src/sources/source-format.ts';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

function record(id: string, blocks: Block[]): ParsedRecord {
  const text = blocks.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
  const message: MessageInput = {
    source: 'api',
    sessionExternalId: 's',
    externalId: id,
    parentExternalId: null,
    role: 'assistant',
    kind: 'message',
    speaker: null,
    blocks,
    text,
    model: null,
    usage: null,
    responseId: null,
    timestamp: 1_767_323_045_000,
    seq: 0,
    contentHash: id,
    meta: {},
  };
  return {
    recordType: 'message',
    sessionExternalId: 's',
    sessions: [{ source: 'api', externalId: 's' }],
    message,
    usage: null,
    images: [],
    problem: null,
  };
}

const binary = String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 65_536));
const code =
  'export function f(a: number[]): number {\n  return a.reduce((s, x) => s + x * 2, 0);\n}\n'.repeat(400);
const logs = Array.from(
  { length: 3000 },
  (_, i) =>
    `2026-01-02T03:04:${String(i % 60).padStart(2, '0')}Z INFO worker-${i % 8} processed batch=${i} rows=${i * 17} in ${i % 97}ms`,
).join('\n');
const scripts =
  'Ошибка в модуле. 処理に失敗しました。 오류가 발생했습니다. حدث خطأ. שגיאה. त्रुटि हुई। 😀🎉 ∑∫√ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢';

const inputs: [string, Block[]][] = [
  ['binary', [{ type: 'text', text: binary }]],
  ['huge', [{ type: 'text', text: 'word '.repeat(1_200_000) }]],
  ['code only', [{ type: 'text', text: code }]],
  ['logs only', [{ type: 'text', text: logs }]],
  ['many scripts', [{ type: 'text', text: scripts }]],
  ['empty', []],
  ['image only', [{ type: 'image', mediaType: 'image/png', size: 10, sha256: null }]],
  ['lone surrogates', [{ type: 'text', text: '\ud800 half \udfff pairs' }]],
  [
    'odd tool input',
    [{ type: 'tool_use', id: 't', name: 'X', input: { n: 1, deep: [[[null, true, 1.5]]] } }],
  ],
];

async function ingest(pipeline: IngestPipeline, records: ParsedRecord[]) {
  const store = new SqliteStore(join(tempDir(), 'agentlog.db'));
  const project = await store.ensureProject('default');
  const ingestor = new Ingestor(store, project.id, 'api', pipeline);
  for (const r of records)
    ingestor.add(r, { bytes: new TextEncoder().encode(JSON.stringify(r.message)), line: 1, offset: 0 });
  const result = await ingestor.flush();
  return { store, projectId: project.id, result };
}

describe('enrichment never fails an ingest', () => {
  it('stores binary, huge, code-only, log-only and any-script messages, enriched', async () => {
    const { store, projectId, result } = await ingest(
      new IngestPipeline(),
      inputs.map(([id, blocks]) => record(id, blocks)),
    );
    try {
      expect(result?.newMessages).toBe(inputs.length);
      const ids: number[] = [];
      for await (const m of store.messagesToEnrich({ projectId })) ids.push(m.id);
      const stored = await store.enrichments(ids);
      for (const id of ids) {
        const results = stored.get(id)!;
        expect(results.length).toBe(9);
        expect(results.filter((r) => r.error !== null)).toEqual([]);
      }
      const languages = await store.facetCounts({ projectId, facet: 'language' });
      expect(languages.find((l) => l.label === 'und')?.messages).toBeGreaterThanOrEqual(3);
    } finally {
      await store.close();
    }
  });

  it('marks the message when an enricher fails and stores it with the other results', async () => {
    const broken: Enricher<'language'> = {
      name: 'language',
      version: 1,
      stage: 'ingest',
      facets: ['language'],
      enrich: ({ view }) => {
        if (view.prose.includes('explode')) throw new Error('cannot read this');
        return { value: { language: 'en', script: 'Latin', confidence: 1 } };
      },
    };
    const enrichers = [...ingestEnrichers().filter((e) => e.name !== 'language'), broken];
    const { store, projectId, result } = await ingest(
      new IngestPipeline(defaultPipelineSettings, enrichers),
      [
        record('a', [{ type: 'text', text: 'please explode' }]),
        record('b', [{ type: 'text', text: 'a calm message' }]),
      ],
    );
    try {
      expect(result?.newMessages).toBe(2);
      expect(await store.facetCounts({ projectId, facet: 'failed' })).toEqual([
        { label: 'language', messages: 1, sessions: 1 },
      ]);
      const ids: number[] = [];
      for await (const m of store.messagesToEnrich({ projectId })) ids.push(m.id);
      const failed = (await store.enrichments(ids)).get(ids[0]!)!;
      expect(failed.find((r) => r.enricher === 'language')).toMatchObject({
        value: null,
        error: 'Error: cannot read this',
      });
      expect(failed.find((r) => r.enricher === 'domain')?.error).toBeNull();
    } finally {
      await store.close();
    }
  });
});
