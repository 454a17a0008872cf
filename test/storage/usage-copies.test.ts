import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/agentlog.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { UsageInput } from '../../src/domain/raw-record.ts';
import type { Store, WriteBatch } from '../../src/storage/ports.ts';

/** A copy of a response: its key, output tokens (the only count that varies) and copy rules. */
type Copy = {
  key: string;
  out: number;
  secondary?: boolean;
  group?: string;
  weight?: number;
  input?: number;
};

function usageInput(c: Copy, at: number): UsageInput {
  return {
    source: 'test',
    sessionExternalId: 's',
    dedupKey: c.key,
    model: 'm',
    timestamp: 1_700_000_000_000 + at,
    inputTokens: c.input ?? 0,
    outputTokens: c.out,
    cacheCreationTokens: 0,
    cacheReadTokens: 0,
    ...(c.secondary === undefined ? {} : { secondary: c.secondary }),
    ...(c.group === undefined ? {} : { replayGroup: c.group }),
    ...(c.weight === undefined ? {} : { weight: c.weight }),
  };
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/** Writes the copies in every order (one project per order, one batch per copy) and returns the outcomes. */
async function countedInEveryOrder(store: Store, copies: Copy[]): Promise<Set<string>> {
  const outcomes = new Set<string>();
  for (const [n, order] of permutations(copies).entries()) {
    const project = await store.ensureProject(`order-${Math.random()}-${n}`);
    for (const [i, copy] of order.entries()) {
      const batch: WriteBatch = {
        projectId: project.id,
        sessions: [],
        raw: [],
        messages: [],
        usage: [usageInput(copy, i)],
        blobs: [],
        fileStates: [],
      };
      await store.write(batch);
    }
    const rows = await store.usage({ projectId: project.id, groupBy: 'model' });
    const responses = rows.reduce((sum, r) => sum + r.responses, 0);
    const out = rows.reduce((sum, r) => sum + r.outputTokens, 0);
    outcomes.add(`${responses} responses, ${out} output tokens`);
  }
  return outcomes;
}

// One store for the whole file: each order of each case writes to a project of its own.
const dataDir = mkdtempSync(join(tmpdir(), 'agentlog-test-'));
const store = await openStore(loadConfig({ flags: { dataDir }, env: {} }));

describe('usage copies (the store applies UsageCopyRules whatever order copies arrive in)', () => {
  afterAll(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the largest copy of one key; without rules that is all there is', async () => {
    expect(
      await countedInEveryOrder(store, [
        { key: 'a', out: 1 },
        { key: 'a', out: 9 },
        { key: 'a', out: 5 },
      ]),
    ).toEqual(new Set(['1 responses, 9 output tokens']));
  });

  it('breaks a tie of totals by weight', async () => {
    const copies = [
      { key: 'a', out: 0, input: 10, weight: 1 },
      { key: 'a', out: 10, input: 0, weight: 5 },
      { key: 'a', out: 0, input: 10, weight: 2 },
    ];
    expect(await countedInEveryOrder(store, copies)).toEqual(new Set(['1 responses, 10 output tokens']));
  });

  it('prefers a primary copy of a key to a larger secondary one', async () => {
    const copies = [
      { key: 'a', out: 5, group: 'g' },
      { key: 'a', out: 80, secondary: true, group: 'g' },
    ];
    expect(await countedInEveryOrder(store, copies)).toEqual(new Set(['1 responses, 5 output tokens']));
  });

  it('drops a secondary replay under another key while its group has a primary row', async () => {
    const copies = [
      { key: 'parent', out: 10, group: 'g' },
      { key: 'replay-1', out: 500, secondary: true, group: 'g' },
      { key: 'replay-2', out: 700, secondary: true, group: 'g' },
      { key: 'own', out: 3, secondary: true, group: 'h' },
    ];
    expect(await countedInEveryOrder(store, copies)).toEqual(new Set(['2 responses, 13 output tokens']));
  });

  it('counts the secondary rows of a group without a primary once, the largest', async () => {
    const copies = [
      { key: 'x', out: 5, secondary: true, group: 'g' },
      { key: 'y', out: 50, secondary: true, group: 'g' },
      { key: 'x', out: 7, secondary: true, group: 'g' },
    ];
    expect(await countedInEveryOrder(store, copies)).toEqual(new Set(['1 responses, 50 output tokens']));
  });

  it('keeps primary rows of one group under different keys apart', async () => {
    const copies = [
      { key: 'first', out: 11, group: 'g' },
      { key: 'second', out: 13, group: 'g' },
      { key: 'replay', out: 1000, secondary: true, group: 'g' },
    ];
    expect(await countedInEveryOrder(store, copies)).toEqual(new Set(['2 responses, 24 output tokens']));
  });

  it('drops a replay in a group reached through a copy of the primary key from another group', async () => {
    // A resumed session (group g2) copies the parent's response (key k, first seen in g1); a
    // side question in the resumed session replays it under another key.
    const copies = [
      { key: 'k', out: 10, group: 'g1' },
      { key: 'k', out: 10, group: 'g2' },
      { key: 'replay', out: 900, secondary: true, group: 'g2' },
    ];
    expect(await countedInEveryOrder(store, copies)).toEqual(new Set(['1 responses, 10 output tokens']));
  });
});
