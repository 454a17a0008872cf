import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCheckpoint } from '../../src/archive/create-checkpoint.ts';
import { applyRetention } from '../../src/archive/retention.ts';
import type { EnrichmentFacet, MessageEnrichment } from '../../src/domain/enrichment.ts';
import type { ReportWindow, Store, WriteBatch } from '../../src/storage/ports.ts';
import { FsBlobStore } from '../../src/storage/fs/fs-blob-store.ts';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { ingest, type SeedMessage } from './seed.ts';

const day = 86_400_000;
const t0 = Date.UTC(2025, 2, 1);
const facets: EnrichmentFacet[] = ['domain', 'tier', 'tag', 'tool', 'tool_error'];
const windows: Omit<ReportWindow, 'projectId'>[] = [
  {},
  { since: t0 + day + 3_600_000 },
  { until: t0 + 2 * day + 7_200_000 },
  { since: t0 + 12 * 3_600_000, until: t0 + 3 * day },
  { since: t0 + day, until: t0 + day + 1 },
];

function conversation(session: string, count: number, start: number): SeedMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    session,
    id: `${session}-${i}`,
    role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
    model: i % 2 === 0 ? undefined : 'claude-sonnet-4-5',
    text:
      i % 3 === 0
        ? `Please fix the failing test in the parser ${session} and rerun the build`
        : `I changed the schema migration and the database index for ${session}`,
    timestamp: start + i * 5 * 3_600_000,
    usage: i % 2 === 1 ? { input: 100 * i, output: 10 * i } : undefined,
  }));
}

/** Every aggregate-backed answer equals the exact answer computed from the rows themselves. */
async function expectExact(store: Store, projectId: number): Promise<void> {
  for (const w of windows) {
    const window = { projectId, ...w };
    for (const facet of facets) {
      const exact = await store.facetCounts({ ...window, facet });
      const fromAggregates = await store.reportFacets({ ...window, facet });
      expect(new Map(fromAggregates.map((f) => [f.label, f.messages]))).toEqual(
        new Map(exact.map((f) => [f.label, f.messages])),
      );
    }
    const exactTerms = await store.termTotals({ ...window, limit: 10_000 });
    const aggregateTerms = await store.reportTerms(window, 10_000);
    expect(new Map(aggregateTerms.terms.map((t) => [t.term, t.count]))).toEqual(
      new Map(exactTerms.terms.map((t) => [t.term, t.count])),
    );
    const counted = (await store.messageCounts(window)).reduce((sum, r) => sum + r.messages, 0);
    let scanned = 0;
    for await (const m of store.scanMessages(window))
      if ((w.since === undefined && w.until === undefined) || m.timestamp !== null) scanned++;
    expect(counted).toBe(scanned);
  }
  const buckets = await store.usage({ projectId, groupBy: 'bucket' });
  const usage = await store.usageByDay({ projectId });
  const sum = (rows: { inputTokens: number; outputTokens: number; responses: number }[]) =>
    rows.reduce((s, r) => [s[0]! + r.inputTokens, s[1]! + r.outputTokens, s[2]! + r.responses], [0, 0, 0]);
  expect(sum(usage)).toEqual(sum(buckets));
}

describe('report aggregates', () => {
  const tempDir = useTempDirs();

  it('stay exact through new messages, revisions, re-enrichment, usage replacement and retention', async () => {
    const dir = tempDir();
    const store = new SqliteStore(join(dir, 'agentlog.db'));
    const { id: projectId } = await store.ensureProject('default');
    await ingest(store, projectId, 'api', conversation('s1', 12, t0));
    await expectExact(store, projectId);

    await ingest(store, projectId, 'api', conversation('s2', 9, t0 + day));
    await expectExact(store, projectId);

    // Re-enrichment of stored messages replaces their labels and terms.
    const ids: number[] = [];
    for await (const m of store.scanMessages({ projectId })) ids.push(m.id);
    const replacement = (i: number): MessageEnrichment => ({
      results: [{ enricher: 'tier', version: 99, value: { tier: 'architectural' }, error: null }],
      labels: [
        { facet: 'tier', label: 'architectural', rank: 0 },
        { facet: 'domain', label: i % 2 === 0 ? 'security' : 'performance', rank: 0 },
        { facet: 'tag', label: '@Tier-Architectural', rank: 0 },
      ],
      facets: ['tier', 'domain', 'tag', 'tool', 'tool_error'],
      terms: [{ term: `replaced${i % 3}`, count: 2 }],
    });
    await store.writeEnrichments(
      projectId,
      ids.filter((_, i) => i % 4 === 0).map((messageId, i) => ({ messageId, enrichment: replacement(i) })),
    );
    await expectExact(store, projectId);
    // Including the newest message: its label rows held the highest rowids, which SQLite hands out again.
    await store.writeEnrichments(projectId, [{ messageId: ids.at(-1)!, enrichment: replacement(7) }]);
    await expectExact(store, projectId);

    // A revision replaces a message (and its enrichment) in place.
    const revised: WriteBatch = {
      projectId,
      sessions: [],
      raw: [],
      blobs: [],
      fileStates: [],
      usage: [],
      messages: [
        {
          source: 'api',
          sessionExternalId: 's1',
          externalId: 's1-0',
          parentExternalId: null,
          role: 'user',
          kind: 'message',
          speaker: { name: 'zed', role: 'member' },
          blocks: [{ type: 'text', text: 'Completely different words about kubernetes deployment' }],
          text: 'Completely different words about kubernetes deployment',
          model: null,
          usage: null,
          responseId: null,
          timestamp: t0,
          seq: 0,
          contentHash: 'revised',
          meta: {},
          revisable: true,
          rawHash: null,
        },
      ],
    };
    const pipelined = new SqliteStore(join(dir, 'agentlog.db'));
    expect((await pipelined.write(revised)).messageStatus).toEqual(['revised']);
    await pipelined.close();
    await expectExact(store, projectId);

    // Usage: a larger copy of a counted response, then a secondary copy replaced by its primary.
    const usage = (
      dedupKey: string,
      input: number,
      extra: Partial<WriteBatch['usage'][number]> = {},
    ): WriteBatch => ({
      projectId,
      sessions: [],
      raw: [],
      messages: [],
      blobs: [],
      fileStates: [],
      usage: [
        {
          source: 'api',
          sessionExternalId: 's1',
          dedupKey,
          model: 'claude-sonnet-4-5',
          timestamp: t0 + 3_600_000,
          inputTokens: input,
          outputTokens: 1,
          cacheCreationTokens: 0,
          cacheReadTokens: 0,
          ...extra,
        },
      ],
    });
    await store.write(usage('s1-1', 5000));
    await expectExact(store, projectId);
    await store.write(usage('side', 300, { secondary: true, replayGroup: 'g' }));
    await expectExact(store, projectId);
    await store.write(usage('main', 400, { replayGroup: 'g' }));
    await expectExact(store, projectId);

    // Retention takes deleted messages out of every aggregate.
    const blobs = new FsBlobStore(join(dir, 'blobs'));
    await createCheckpoint(
      { store, blobs, project: { id: projectId, name: 'default' } },
      { now: t0 + 40 * day },
    );
    const kept = await applyRetention({ store, blobs, projectId }, { hotDays: 39, now: t0 + 40 * day });
    expect(kept.messages).toBeGreaterThan(0);
    await expectExact(store, projectId);
    await ingest(store, projectId, 'api', conversation('s3', 4, t0 + 2 * day));
    await expectExact(store, projectId);
    await store.close();
  });
});
