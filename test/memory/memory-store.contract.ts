import { describe, expect, it } from 'vitest';
import { sessionIdFor } from '../../src/domain/ids.ts';
import type { MessageInput, MessageKind } from '../../src/domain/message.ts';
import type { MessageSpan, Store, WriteBatch } from '../../src/storage/ports.ts';

/**
 * The Store methods session memory reads with, as a contract every adapter passes: call
 * `memoryStoreContract(name, open)` from an adapter's test file with a function opening an empty
 * store of that adapter (and closing it after the test).
 */
export function memoryStoreContract(name: string, open: () => Promise<Store>): void {
  type Row = {
    id: string;
    text: string;
    kind?: MessageKind;
    timestamp?: number;
    session?: string;
    source?: string;
  };

  function input(row: Row): WriteBatch['messages'][number] {
    const message: MessageInput = {
      source: row.source ?? 'memory',
      sessionExternalId: row.session ?? 's',
      externalId: row.id,
      parentExternalId: null,
      role: 'user',
      kind: row.kind ?? 'message',
      speaker: null,
      blocks: [{ type: 'text', text: row.text }],
      text: row.text,
      model: null,
      usage: null,
      responseId: null,
      timestamp: row.timestamp ?? 1000,
      seq: 0,
      contentHash: `${row.id}:${row.text}`,
      meta: {},
    };
    return { ...message, rawHash: null };
  }

  async function write(store: Store, projectId: number, rows: Row[], revisable = false) {
    const sessions = [...new Set(rows.map((r) => `${r.source ?? 'memory'}\u0000${r.session ?? 's'}`))].map(
      (key) => {
        const [source, externalId] = key.split('\u0000') as [string, string];
        return { source, externalId };
      },
    );
    await store.write({
      projectId,
      sessions,
      raw: [],
      messages: rows.map((r) => ({ ...input(r), ...(revisable ? { revisable: true } : {}) })),
      usage: [],
      blobs: [],
      fileStates: [],
    });
  }

  const texts = (messages: { text: string }[]) => messages.map((m) => m.text);

  describe(`${name}: session memory reads`, () => {
    it('reads a memory session newest first, in pages, notes apart', async () => {
      const store = await open();
      const { id: project } = await store.ensureProject('p');
      await write(store, project, [
        { id: 'a', text: 'one' },
        { id: 'b', text: 'two', timestamp: 1 }, // an earlier clock: commit order still decides
        { id: 'n', text: 'a note', kind: 'note' },
        { id: 'c', text: 'three' },
      ]);
      const span: MessageSpan = {
        sessionId: sessionIdFor(project, 'memory', 's'),
        upTo: null,
        order: 'stored',
      };
      const page = await store.spanMessagesDesc(span, { limit: 2, notes: 'exclude' });
      expect(texts(page)).toEqual(['three', 'two']);
      const next = await store.spanMessagesDesc(span, {
        before: page.at(-1)!.id,
        limit: 2,
        notes: 'exclude',
      });
      expect(texts(next)).toEqual(['one']);
      expect(texts(await store.spanMessagesDesc(span, { limit: 10, notes: 'only' }))).toEqual(['a note']);
      const upTo = { ...span, upTo: page[1]!.id };
      expect(texts(await store.spanMessagesDesc(upTo, { limit: 10, notes: 'exclude' }))).toEqual([
        'two',
        'one',
      ]);
      expect(await store.countSpanMessages(span)).toBe(3);
      expect(await store.countSpanMessages(upTo)).toBe(2);
      const all: string[] = [];
      for await (const m of store.spanMessages(span)) all.push(m.text);
      expect(all).toEqual(['one', 'two', 'a note', 'three']);
      await store.close();
    });

    it('reads another session in its conversation (time) order', async () => {
      const store = await open();
      const { id: project } = await store.ensureProject('p');
      await write(store, project, [
        { id: 'x3', text: 'third', timestamp: 3000, source: 'imp', session: 'i' },
        { id: 'x1', text: 'first', timestamp: 1000, source: 'imp', session: 'i' },
        { id: 'x2', text: 'second', timestamp: 2000, source: 'imp', session: 'i' },
      ]);
      const span: MessageSpan = {
        sessionId: sessionIdFor(project, 'imp', 'i'),
        upTo: null,
        order: 'conversation',
      };
      const desc = await store.spanMessagesDesc(span, { limit: 10, notes: 'exclude' });
      expect(texts(desc)).toEqual(['third', 'second', 'first']);
      const second = desc[1]!.id;
      expect(
        texts(await store.spanMessagesDesc(span, { before: second, limit: 10, notes: 'exclude' })),
      ).toEqual(['first']);
      const upTo = { ...span, upTo: second };
      expect(texts(await store.spanMessagesDesc(upTo, { limit: 10, notes: 'exclude' }))).toEqual([
        'second',
        'first',
      ]);
      expect(await store.countSpanMessages(upTo)).toBe(2);
      await store.close();
    });

    it('finds messages by id (in their project only) and by external id, with their revisions', async () => {
      const store = await open();
      const { id: project } = await store.ensureProject('p');
      const { id: other } = await store.ensureProject('q');
      await write(store, project, [{ id: 'a', text: 'first version' }]);
      const found = await store.findMessage(project, 'memory', 'a');
      expect(found?.text).toBe('first version');
      expect((await store.getMessage(project, found!.id))?.externalId).toBe('a');
      expect(await store.getMessage(other, found!.id)).toBeNull();
      expect(await store.findMessage(project, 'memory', 'nope')).toBeNull();
      await write(store, project, [{ id: 'a', text: 'second version' }], true);
      expect((await store.getMessage(project, found!.id))?.text).toBe('second version');
      const revisions = await store.messageRevisions(found!.id);
      expect(revisions.map((r) => r.text)).toEqual(['first version']);
      await store.close();
    });

    it('searches a project, or only the given spans of it', async () => {
      const store = await open();
      const { id: project } = await store.ensureProject('p');
      const { id: other } = await store.ensureProject('q');
      await write(store, project, [
        { id: 'a', text: 'blue whale', session: 's' },
        { id: 'b', text: 'blue bird', session: 's' },
        { id: 'c', text: 'blue sky', session: 't' },
      ]);
      await write(store, other, [{ id: 'd', text: 'blue moon' }]);
      const everywhere = await store.searchMessages({ projectId: project, text: 'blue', limit: 10 });
      expect(texts(everywhere.map((h) => h.message)).sort()).toEqual(['blue bird', 'blue sky', 'blue whale']);
      const s = sessionIdFor(project, 'memory', 's');
      const first = (await store.findMessage(project, 'memory', 'a'))!.id;
      const spans: MessageSpan[] = [{ sessionId: s, upTo: first, order: 'stored' }];
      const within = await store.searchMessages({ projectId: project, text: 'blue', limit: 10, spans });
      expect(texts(within.map((h) => h.message))).toEqual(['blue whale']);
      expect(within[0]!.snippet).toContain('[blue]');
      expect(await store.searchMessages({ projectId: project, text: '"', limit: 10 })).toEqual([]);
      await store.close();
    });
  });
}
