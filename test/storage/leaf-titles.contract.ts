import { describe, expect } from 'vitest';
import type { Store, WriteBatch } from '../../src/storage/ports.ts';
import {
  batchMessage,
  contractCases,
  writeBatch,
  type OpenStore,
  type UnsupportedCases,
} from '../support/store-contract-kit.ts';

const t0 = 1_767_225_600_000;

/** A message `external` of session `session`. */
const message = (external: string, session: string) =>
  batchMessage(external, t0, { sessionExternalId: session });
const leafTitle = (leafExternalId: string, title: string) => ({ source: 'test', leafExternalId, title });

/** A batch as an import writes it: each message's session has a patch (the row the title goes to). */
function batch(projectId: number, extra: Partial<WriteBatch>): WriteBatch {
  const patches = (extra.messages ?? []).map((m) => ({ source: m.source, externalId: m.sessionExternalId }));
  return writeBatch(projectId, { ...extra, sessions: [...patches, ...(extra.sessions ?? [])] });
}

async function titleOf(store: Store, projectId: number, session: string): Promise<string | null> {
  const [found] = (await store.findSessions(projectId, session)).filter((s) => s.externalId === session);
  return found?.title ?? null;
}

/**
 * `WriteBatch.leafTitles` (a Claude `summary` naming its conversation by a leaf message that may
 * be in another file): the same outcome whether the leaf is written before or after the title.
 */
export function leafTitlesContract(
  adapter: string,
  open: OpenStore,
  unsupported: UnsupportedCases = {},
): void {
  const test = contractCases(open, unsupported);

  describe(`Store contract, leaf titles: ${adapter}`, () => {
    test('titles the session holding the leaf, written before or after the title', async (store) => {
      const { id } = await store.ensureProject('p');
      // Leaf first.
      await store.write(batch(id, { messages: [message('a', 's1')] }));
      await store.write(batch(id, { leafTitles: [leafTitle('a', 'Summary one')] }));
      expect(await titleOf(store, id, 's1')).toBe('Summary one');
      // Title first: it waits for its leaf, across batches, and is not applied twice.
      await store.write(batch(id, { leafTitles: [leafTitle('b', 'Summary two')] }));
      await store.write(batch(id, { messages: [message('x', 's2')] }));
      expect(await titleOf(store, id, 's2')).toBeNull();
      await store.write(batch(id, { messages: [message('x', 's2'), message('b', 's2')] }));
      expect(await titleOf(store, id, 's2')).toBe('Summary two');
      // Both in one batch.
      await store.write(
        batch(id, { messages: [message('c', 's3')], leafTitles: [leafTitle('c', 'Summary three')] }),
      );
      expect(await titleOf(store, id, 's3')).toBe('Summary three');
      // A leaf never written titles nothing and disturbs nothing.
      await store.write(batch(id, { leafTitles: [leafTitle('nowhere', 'Lost')] }));
      expect((await store.listSessions({ projectId: id })).map((s) => s.title).sort()).toEqual([
        'Summary one',
        'Summary three',
        'Summary two',
      ]);
    });

    test('titles every session holding the leaf: its owner and sessions copying it, in any order', async (store) => {
      const { id } = await store.ensureProject('p');
      // The original first, then the title, then a resumed copy.
      await store.write(batch(id, { messages: [message('a', 'original')] }));
      await store.write(batch(id, { leafTitles: [leafTitle('a', 'Summary')] }));
      await store.write(batch(id, { messages: [message('a', 'resumed'), message('r', 'resumed')] }));
      expect(await titleOf(store, id, 'original')).toBe('Summary');
      expect(await titleOf(store, id, 'resumed')).toBe('Summary');
      // The title first, then the copy, then the original.
      await store.write(batch(id, { leafTitles: [leafTitle('b', 'Other summary')] }));
      await store.write(batch(id, { messages: [message('b', 'resumed 2')] }));
      await store.write(batch(id, { messages: [message('b', 'original 2')] }));
      expect(await titleOf(store, id, 'resumed 2')).toBe('Other summary');
      expect(await titleOf(store, id, 'original 2')).toBe('Other summary');
      // Written again, nothing changes; a second title for a leaf does not replace the first.
      await store.write(batch(id, { leafTitles: [leafTitle('b', 'Later summary')] }));
      await store.write(batch(id, { messages: [message('b', 'original 2'), message('b', 'third')] }));
      expect(await titleOf(store, id, 'original 2')).toBe('Other summary');
      expect(await titleOf(store, id, 'third')).toBe('Other summary');
      expect(await store.counts(id)).toMatchObject({ sessions: 5, messages: 3 });
    });

    test('gives way to a title the session sets itself, before or after, and beats its fallback', async (store) => {
      const { id } = await store.ensureProject('p');
      const patch = (externalId: string, extra: object) => ({ source: 'test', externalId, ...extra });
      // Set before the summary is known.
      await store.write(
        batch(id, { sessions: [patch('s1', { title: 'Named' })], messages: [message('a', 's1')] }),
      );
      await store.write(batch(id, { leafTitles: [leafTitle('a', 'Summary')] }));
      expect(await titleOf(store, id, 's1')).toBe('Named');
      // The summary waits; the session's title comes in the batch of its leaf.
      await store.write(batch(id, { leafTitles: [leafTitle('b', 'Summary')] }));
      await store.write(
        batch(id, { sessions: [patch('s2', { title: 'Named' })], messages: [message('b', 's2')] }),
      );
      expect(await titleOf(store, id, 's2')).toBe('Named');
      // The session's title comes after the summary was applied.
      await store.write(batch(id, { leafTitles: [leafTitle('c', 'Summary')] }));
      await store.write(batch(id, { messages: [message('c', 's3')] }));
      expect(await titleOf(store, id, 's3')).toBe('Summary');
      await store.write(batch(id, { sessions: [patch('s3', { title: 'Named' })] }));
      expect(await titleOf(store, id, 's3')).toBe('Named');
      // A first prompt is only a fallback.
      await store.write(
        batch(id, {
          sessions: [patch('s4', { fallbackTitle: 'first prompt' })],
          messages: [message('d', 's4')],
        }),
      );
      await store.write(batch(id, { leafTitles: [leafTitle('d', 'Summary')] }));
      expect(await titleOf(store, id, 's4')).toBe('Summary');
    });
  });
}
