import { it } from 'vitest';
import type { MessageInput } from '../../src/domain/message.ts';
import type { Store, WriteBatch } from '../../src/storage/ports.ts';

/** What the Store contract suites share: how a case opens a store, and the batches they write. */

/** A store over a fresh, empty database, and how to let go of it. */
export type OpenStore = () => Promise<{ store: Store; close(): Promise<void> }>;

/** Cases an adapter cannot pass yet, each with the reason (listed, never silently skipped). */
export type UnsupportedCases = Record<string, string>;

/**
 * The `test` of a contract suite: each case runs on a store of its own, or shows as skipped with
 * the reason the adapter gives. `title` names the case in the report.
 */
export function contractCases(
  open: OpenStore,
  unsupported: UnsupportedCases,
  title: (name: string) => string = (name) => name,
): (name: string, run: (store: Store) => Promise<void>) => void {
  return (name, run) => {
    const reason = unsupported[name];
    if (reason !== undefined) return it.skip(`${title(name)} (unsupported: ${reason})`, () => {});
    return it(title(name), async () => {
      const { store, close } = await open();
      try {
        await run(store);
      } finally {
        await close();
      }
    });
  };
}

/** A user message of session `s1` whose text, blocks and content hash follow from its id. */
export const batchMessage = (
  id: string,
  timestamp: number,
  extra: Partial<MessageInput> = {},
): WriteBatch['messages'][number] => ({
  source: 'test',
  sessionExternalId: 's1',
  externalId: id,
  parentExternalId: null,
  role: 'user',
  kind: 'message',
  speaker: null,
  blocks: [{ type: 'text', text: `text of ${id}` }],
  text: `text of ${id}`,
  model: null,
  usage: null,
  responseId: null,
  timestamp,
  seq: 0,
  contentHash: `hash-${id}`,
  meta: {},
  rawHash: null,
  ...extra,
});

/** A batch of the project with nothing in it but `extra`. */
export const writeBatch = (projectId: number, extra: Partial<WriteBatch>): WriteBatch => ({
  projectId,
  sessions: [],
  raw: [],
  messages: [],
  usage: [],
  blobs: [],
  fileStates: [],
  ...extra,
});

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
