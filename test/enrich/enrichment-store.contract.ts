import { expect, it } from 'vitest';
import type { MessageEnrichment } from '../../src/domain/enrichment.ts';
import type { MessageInput } from '../../src/domain/message.ts';
import type { Store, WriteBatch } from '../../src/storage/ports.ts';

/**
 * The enrichment part of the Store port, for every adapter: results and labels written with new
 * messages, facet counts, term frequencies counted once per message, the scan for re-enrichment,
 * and re-enrichment writes. `open` gives a fresh, empty store.
 */
export function enrichmentStoreContract(open: () => Promise<Store>): void {
  function message(id: string, session: string, timestamp: number, text: string): MessageInput {
    return {
      source: 'api',
      sessionExternalId: session,
      externalId: id,
      parentExternalId: null,
      role: 'user',
      kind: 'message',
      speaker: null,
      blocks: [{ type: 'text', text }],
      text,
      model: null,
      usage: null,
      responseId: null,
      timestamp,
      seq: 0,
      contentHash: id,
      meta: {},
    };
  }

  function enrichment(domain: string, terms: string[], version = 1): MessageEnrichment {
    return {
      results: [
        { enricher: 'domain', version, value: { chain: [domain], scores: {} }, error: null },
        {
          enricher: 'terms',
          version: 1,
          value: { distinct: terms.length, words: terms.length },
          error: null,
        },
      ],
      labels: [{ facet: 'domain', label: domain, rank: 0 }],
      facets: ['domain'],
      terms: terms.map((term) => ({ term, count: 1 })),
    };
  }

  async function write(store: Store, projectId: number, items: [MessageInput, MessageEnrichment][]) {
    const batch: WriteBatch = {
      projectId,
      sessions: [...new Set(items.map(([m]) => m.sessionExternalId))].map((externalId) => ({
        source: 'api',
        externalId,
      })),
      raw: [],
      messages: items.map(([m, e]) => ({ ...m, rawHash: null, enrichment: e })),
      usage: [],
      blobs: [],
      fileStates: [],
    };
    return store.write(batch);
  }

  async function ids(store: Store, projectId: number): Promise<number[]> {
    const out: number[] = [];
    for await (const m of store.messagesToEnrich({ projectId })) out.push(m.id);
    return out;
  }

  it('stores enrichment with new messages and counts labels per facet', async () => {
    const store = await open();
    try {
      const { id: projectId } = await store.ensureProject('p');
      await write(store, projectId, [
        [message('a', 's1', 1000, 'a'), enrichment('security', ['token', 'leak'])],
        [message('b', 's1', 2000, 'b'), enrichment('security', ['token'])],
        [message('c', 's2', 3000, 'c'), enrichment('debugging', ['crash'])],
      ]);
      const [a] = await ids(store, projectId);
      const stored = (await store.enrichments([a!])).get(a!)!;
      expect(stored.map((r) => r.enricher).sort()).toEqual(['domain', 'terms']);
      expect(stored.find((r) => r.enricher === 'domain')?.value).toEqual({ chain: ['security'], scores: {} });

      expect(await store.facetCounts({ projectId, facet: 'domain' })).toEqual([
        { label: 'security', messages: 2, sessions: 1 },
        { label: 'debugging', messages: 1, sessions: 1 },
      ]);
      expect(await store.facetCounts({ projectId, facet: 'domain', since: 2500 })).toEqual([
        { label: 'debugging', messages: 1, sessions: 1 },
      ]);
      expect(await store.facetCounts({ projectId, facet: 'domain', limit: 1 })).toHaveLength(1);
      expect(await store.facetCounts({ projectId: projectId + 1, facet: 'domain' })).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('counts a message once in the term frequencies, however often it is sent', async () => {
    const store = await open();
    try {
      const { id: projectId } = await store.ensureProject('p');
      const items: [MessageInput, MessageEnrichment][] = [
        [message('a', 's1', 1000, 'a'), enrichment('security', ['token', 'leak'])],
        [message('b', 's1', 2000, 'b'), enrichment('security', ['token'])],
      ];
      await write(store, projectId, items);
      await write(store, projectId, items);
      const totals = await store.termTotals({ projectId });
      expect(totals.documents).toBe(2);
      expect(totals.terms).toEqual([
        { term: 'token', count: 2, documents: 2 },
        { term: 'leak', count: 1, documents: 1 },
      ]);
      const df = await store.termDocuments(projectId, ['token', 'leak', 'absent']);
      expect(df.documents).toBe(2);
      expect([...df.frequencies].sort()).toEqual([
        ['leak', 1],
        ['token', 2],
      ]);
    } finally {
      await store.close();
    }
  });

  it('finds messages lacking an enricher version, and re-enrichment replaces results and labels', async () => {
    const store = await open();
    try {
      const { id: projectId } = await store.ensureProject('p');
      await write(store, projectId, [
        [message('a', 's1', 1000, 'a'), enrichment('security', ['token'], 1)],
        [message('b', 's1', 2000, 'b'), enrichment('debugging', ['crash'], 2)],
      ]);
      const [a, b] = await ids(store, projectId);
      const outdated = async (version: number) => {
        const out: number[] = [];
        for await (const m of store.messagesToEnrich({
          projectId,
          outdated: [{ enricher: 'domain', version }],
        }))
          out.push(m.id);
        return out;
      };
      expect(await outdated(2)).toEqual([a]);
      expect(await outdated(3)).toEqual([a, b]);
      const after: number[] = [];
      for await (const m of store.messagesToEnrich({ projectId, afterId: a!, limit: 5 })) after.push(m.id);
      expect(after).toEqual([b]);

      await store.writeEnrichments(projectId, [
        { messageId: a!, enrichment: enrichment('performance', ['token'], 2) },
      ]);
      expect(await outdated(2)).toEqual([]);
      expect(await store.facetCounts({ projectId, facet: 'domain' })).toEqual([
        { label: 'debugging', messages: 1, sessions: 1 },
        { label: 'performance', messages: 1, sessions: 1 },
      ]);
      // Its terms were counted when it was first stored.
      expect((await store.termTotals({ projectId })).documents).toBe(2);
    } finally {
      await store.close();
    }
  });
}
