import { describe, expect } from 'vitest';
import type { MessageInput } from '../../src/domain/message.ts';
import type { Store } from '../../src/storage/ports.ts';
import {
  batchMessage,
  collect,
  contractCases,
  writeBatch,
  type OpenStore,
} from '../support/store-contract-kit.ts';

/**
 * The Store contract of search, report aggregates, checkpoints, retention, exports and alerts:
 * every adapter runs it unchanged. An adapter names the cases it cannot pass yet, with the reason.
 */
const day = 86_400_000;
const t0 = Date.UTC(2025, 5, 1);

const message = (id: string, extra: Partial<MessageInput> = {}) => batchMessage(id, t0, extra);
const batch = writeBatch;

/** Four messages over three days: alice asks, a model answers; one day apart, one without a time. */
async function seed(store: Store): Promise<number> {
  const { id } = await store.ensureProject('contract');
  await store.write(
    batch(id, {
      sessions: [{ source: 'test', externalId: 's1', timestamp: t0 }],
      messages: [
        message('a', {
          speaker: { name: 'alice', role: 'dev' },
          text: 'export the Parquet archive',
          timestamp: t0,
        }),
        message('b', {
          role: 'assistant',
          model: 'gpt-5',
          text: 'parquet export done',
          timestamp: t0 + day + 5,
        }),
        message('c', { text: 'retention keeps thirty days', timestamp: t0 + 2 * day + 10 }),
        message('d', { text: 'no time here', timestamp: null }),
      ],
      usage: [
        {
          source: 'test',
          sessionExternalId: 's1',
          dedupKey: 'r1',
          model: 'gpt-5',
          timestamp: t0 + day + 5,
          inputTokens: 100,
          outputTokens: 10,
          cacheCreationTokens: 0,
          cacheReadTokens: 5,
        },
      ],
    }),
  );
  return id;
}

export function analyticsStoreContract(
  adapter: string,
  open: OpenStore,
  unsupported: Record<string, string> = {},
): void {
  const test = contractCases(open, unsupported);

  describe(`analytics Store contract: ${adapter}`, () => {
    test('searchText finds all the words, takes any text, filters and orders', async (store) => {
      const projectId = await seed(store);
      const find = async (text: string, extra: object = {}) =>
        (await store.searchText({ projectId, text, limit: 10, order: 'relevance', ...extra })).map(
          (h) => h.text,
        );
      expect((await find('parquet export')).sort()).toEqual([
        'export the Parquet archive',
        'parquet export done',
      ]);
      expect(await find('"parquet" AND (NEAR')).toEqual([]);
      expect(await find('')).toEqual([]);
      expect(await find('parq*', { speaker: 'alice' })).toEqual(['export the Parquet archive']);
      expect(await find('parquet', { speaker: 'assistant' })).toEqual(['parquet export done']);
      expect(await find('parquet', { since: t0 + day })).toEqual(['parquet export done']);
      expect(await find('parquet', { source: 'elsewhere' })).toEqual([]);
      expect(await find('export', { order: 'recent', limit: 1 })).toEqual(['parquet export done']);
      const [hit] = await store.searchText({ projectId, text: 'retention', limit: 1, order: 'recent' });
      expect(hit).toMatchObject({
        role: 'user',
        source: 'test',
        timestamp: t0 + 2 * day + 10,
        speaker: null,
      });
    });

    test('searchText ranks the best match first; a speaker name or a domain gives newest first', async (store) => {
      const projectId = await seed(store);
      const long = 'a longer message that mentions many other things besides the word to find';
      const dana = { name: 'dana', role: 'dev' };
      await store.write(
        batch(projectId, {
          messages: [
            ['r1', 'rollback rollback rollback'],
            ['r2', `rollback once, ${long}`],
            ['r3', `${long}, ${long}, rollback`],
          ].map(([id, text], i) => message(id!, { text: text!, speaker: dana, timestamp: t0 + 3 * day + i })),
        }),
      );
      const order = async (extra: object) =>
        (
          await store.searchText({ projectId, text: 'rollback', limit: 10, order: 'relevance', ...extra })
        ).map((h) => h.text.slice(0, 12));
      // How length weighs differs (bm25 on SQLite, ts_rank on PostgreSQL); three times beats once.
      const ranked = await order({});
      expect(ranked[0]).toBe('rollback rol');
      expect([...ranked].sort()).toEqual(['a longer mes', 'rollback onc', 'rollback rol']);
      expect(await order({ order: 'recent' })).toEqual(['a longer mes', 'rollback onc', 'rollback rol']);
      expect(await order({ speaker: 'dana' })).toEqual(['a longer mes', 'rollback onc', 'rollback rol']);
      expect(await order({ domain: 'nothing_here' })).toEqual([]);
    });

    test('messageCounts, usageByDay and sessionStatusCounts count exactly in any window', async (store) => {
      const projectId = await seed(store);
      const total = async (window: object) =>
        (await store.messageCounts({ projectId, ...window })).reduce((sum, r) => sum + r.messages, 0);
      expect(await total({})).toBe(4);
      expect(await total({ since: t0 + 1 })).toBe(2);
      expect(await total({ since: t0, until: t0 + day + 6 })).toBe(2);
      expect(await total({ since: t0 + day + 5, until: t0 + day + 6 })).toBe(1);
      const rows = await store.messageCounts({ projectId, until: t0 + day });
      expect(rows).toEqual([
        {
          day: t0,
          source: 'test',
          role: 'user',
          kind: 'message',
          speaker: 'alice',
          model: null,
          messages: 1,
        },
      ]);
      expect(await store.usageByDay({ projectId })).toEqual([
        {
          day: t0 + day,
          source: 'test',
          model: 'gpt-5',
          inputTokens: 100,
          outputTokens: 10,
          cacheCreationTokens: 0,
          cacheReadTokens: 5,
          responses: 1,
        },
      ]);
      expect(await store.usageByDay({ projectId, until: t0 + day + 5 })).toEqual([]);
      expect(await store.sessionStatusCounts({ projectId })).toEqual([{ status: 'imported', sessions: 1 }]);
    });

    test('a checkpoint plan holds what is new, once recorded nothing', async (store) => {
      const projectId = await seed(store);
      const plan = await store.planCheckpoint(projectId);
      expect(plan).toMatchObject({ seq: 1, newMessages: 4, revised: 0 });
      const archived = await collect(store.archivedMessages(plan));
      expect(archived.map((m) => m.text)).toEqual([
        'export the Parquet archive',
        'parquet export done',
        'retention keeps thirty days',
        'no time here',
      ]);
      expect(JSON.parse(archived[0]!.blocksJson)).toEqual([{ type: 'text', text: 'text of a' }]);
      expect(archived[0]).toMatchObject({
        projectId,
        revisionsJson: '[]',
        pendingRevision: false,
        rawHash: null,
      });
      const checkpoint = await store.recordCheckpoint({
        projectId,
        seq: plan.seq,
        label: 'one',
        createdAt: t0,
        messageRange: plan.messages,
        rawRange: plan.raw,
        messages: 4,
        rawRecords: 0,
        firstTimestamp: t0,
        lastTimestamp: t0 + 2 * day + 10,
        bytes: 10,
        sha256: 'f'.repeat(64),
        manifestKey: 'archives/x/manifest.json',
        revisedArchived: [],
      });
      expect(checkpoint).toMatchObject({ seq: 1, label: 'one', verifiedAt: null });
      expect(await store.planCheckpoint(projectId)).toMatchObject({
        seq: 2,
        newMessages: 0,
        newRawRecords: 0,
      });
      await expect(store.recordCheckpoint({ ...checkpoint, revisedArchived: [] })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await store.markCheckpointVerified(checkpoint.id, t0 + 1);
      expect(await store.listCheckpoints(projectId)).toEqual([{ ...checkpoint, verifiedAt: t0 + 1 }]);

      // Retention: old messages held by verified checkpoints leave; newer and untimed ones stay.
      const kept = await store.applyRetention({
        projectId,
        cutoff: t0 + 2 * day,
        verifiedThrough: 1,
        now: t0,
      });
      expect(kept).toMatchObject({ messages: 2, verifiedThrough: 1 });
      expect((await collect(store.scanMessages({ projectId }))).map((m) => m.text)).toEqual([
        'retention keeps thirty days',
        'no time here',
      ]);
      expect(await store.searchText({ projectId, text: 'parquet', limit: 5, order: 'recent' })).toEqual([]);
      const counted = (await store.messageCounts({ projectId })).reduce((sum, r) => sum + r.messages, 0);
      expect(counted).toBe(2);
    });

    test('scanMessages streams in id order with filters', async (store) => {
      const projectId = await seed(store);
      const texts = async (scan: object) =>
        (await collect(store.scanMessages({ projectId, ...scan }))).map((m) => m.text);
      expect(await texts({ since: t0 + 1, until: t0 + 2 * day + 11 })).toEqual([
        'parquet export done',
        'retention keeps thirty days',
      ]);
      expect(await texts({ source: 'none' })).toEqual([]);
      expect(await texts({})).toHaveLength(4);
    });

    test('alerts are stored, listed newest first, and note their delivery', async (store) => {
      const { id: projectId } = await store.ensureProject('contract');
      const first = await store.addAlert({
        projectId,
        kind: 'collaboration_score',
        createdAt: t0,
        message: 'low',
        value: 12.5,
        threshold: 40,
        report: null,
      });
      const second = await store.addAlert({ ...first, createdAt: t0 + 1, message: 'lower' });
      await store.noteAlertDelivery(first.id, { at: t0 + 2, error: null });
      await store.noteAlertDelivery(second.id, { at: t0 + 3, error: 'refused' });
      expect(await store.listAlerts(projectId, 10)).toEqual([
        { ...second, notifiedAt: null, notifyError: 'refused' },
        { ...first, notifiedAt: t0 + 2, notifyError: null },
      ]);
    });
  });
}
