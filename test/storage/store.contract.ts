import { describe, expect } from 'vitest';
import { sessionIdFor } from '../../src/domain/ids.ts';
import type { MessageInput } from '../../src/domain/message.ts';
import {
  batchMessage,
  collect,
  contractCases,
  writeBatch,
  type OpenStore,
  type UnsupportedCases,
} from '../support/store-contract-kit.ts';

const t0 = 1_767_225_600_000;

const message = (external: string, extra: Partial<MessageInput> = {}) => batchMessage(external, t0, extra);
const batch = writeBatch;

/**
 * The core of the Store contract: SQLite and PostgreSQL run it unchanged. An adapter names the
 * cases it cannot pass yet in `unsupported`, with the reason; they show as skipped with it.
 */
export function storeContract(adapter: string, open: OpenStore, unsupported: UnsupportedCases = {}): void {
  const test = contractCases(open, unsupported);

  describe(`Store contract: ${adapter}`, () => {
    test('writes messages once: a resend adds nothing and says duplicate', async (store) => {
      const { id } = await store.ensureProject('p');
      expect((await store.ensureProject('p')).id).toBe(id);
      const write = () =>
        store.write(
          batch(id, {
            sessions: [{ source: 'test', externalId: 's1', timestamp: t0, title: 'First' }],
            messages: [message('a'), message('b', { seq: 1 })],
          }),
        );
      expect(await write()).toEqual({
        newMessages: 2,
        duplicateMessages: 0,
        newRawRecords: 0,
        messageStatus: ['new', 'new'],
      });
      expect(await write()).toMatchObject({
        newMessages: 0,
        duplicateMessages: 2,
        messageStatus: ['duplicate', 'duplicate'],
      });
      expect(await store.counts(id)).toEqual({ sessions: 1, messages: 2, rawRecords: 0 });
      const [session] = await store.listSessions({ projectId: id });
      expect(session).toMatchObject({ externalId: 's1', title: 'First', messageCount: 2, startedAt: t0 });
    });

    test('keeps the older version of a revised message as a revision', async (store) => {
      const { id } = await store.ensureProject('p');
      await store.write(batch(id, { messages: [message('a', { revisable: true })] }));
      const result = await store.write(
        batch(id, { messages: [message('a', { revisable: true, text: 'new text', contentHash: 'hash-2' })] }),
      );
      expect(result.messageStatus).toEqual(['revised']);
      const current = await store.findMessage(id, 'test', 'a');
      expect(current).toMatchObject({ text: 'new text', contentHash: 'hash-2' });
      const revisions = await store.messageRevisions(current!.id);
      expect(revisions).toMatchObject([{ text: 'text of a', contentHash: 'hash-a' }]);
    });

    test('marks a session holding another session’s message as its fork', async (store) => {
      const { id } = await store.ensureProject('p');
      await store.write(batch(id, { messages: [message('a')] }));
      await store.write(batch(id, { messages: [message('a', { sessionExternalId: 's2' })] }));
      const [fork] = await store.findSessions(id, 's2');
      const [original] = await store.findSessions(id, 's1');
      expect(fork?.forkedFromSessionId).toBe(original?.id);
    });

    test('merges session patches: first cwd kept, last title, earliest start and latest end, models', async (store) => {
      const { id } = await store.ensureProject('p');
      const patch = { source: 'test', externalId: 's1' };
      await store.write(
        batch(id, {
          sessions: [
            { ...patch, cwd: '/one', title: 'old', timestamp: t0 + 10, model: 'm1', meta: { a: 1 } },
            { ...patch, cwd: '/two', timestamp: t0 + 5, model: 'm2' },
          ],
        }),
      );
      await store.write(
        batch(id, { sessions: [{ ...patch, title: 'new', timestamp: t0 + 50, meta: { b: 2 } }] }),
      );
      const [session] = await store.findSessions(id, 's1');
      expect(session).toMatchObject({
        cwd: '/one',
        title: 'new',
        startedAt: t0 + 5,
        endedAt: t0 + 50,
        models: ['m1', 'm2'],
        meta: { a: 1, b: 2 },
      });
    });

    test('keeps the largest copy of a response’s usage and sums per group', async (store) => {
      const { id } = await store.ensureProject('p');
      const usage = (out: number) => ({
        source: 'test',
        sessionExternalId: 's1',
        dedupKey: 'r1',
        model: 'm',
        timestamp: t0,
        inputTokens: 10,
        outputTokens: out,
        cacheCreationTokens: 1,
        cacheReadTokens: 2,
      });
      await store.write(batch(id, { usage: [usage(5)] }));
      await store.write(batch(id, { usage: [usage(50)] }));
      await store.write(batch(id, { usage: [usage(20)] }));
      expect(await store.usage({ projectId: id, groupBy: 'model' })).toEqual([
        {
          key: 'm',
          inputTokens: 10,
          outputTokens: 50,
          cacheCreationTokens: 1,
          cacheReadTokens: 2,
          responses: 1,
        },
      ]);
      expect(await store.usage({ projectId: id, groupBy: 'bucket', since: t0 + 1 })).toEqual([]);
    });

    test('keeps source file states and raw records with the batch', async (store) => {
      const { id } = await store.ensureProject('p');
      const state = {
        source: 'test',
        path: '/x.jsonl',
        size: 100,
        mtimeMs: 1.5,
        offset: 90,
        lines: 3,
        headHash: 'h',
        format: 'v1',
      };
      const raw = {
        source: 'test',
        hash: 'ab'.repeat(32),
        recordType: 'line',
        sessionExternalId: 's1',
        line: 1,
        byteOffset: 0,
        data: new Uint8Array([1, 2, 3]),
      };
      const first = await store.write(batch(id, { raw: [raw], fileStates: [state] }));
      expect(first.newRawRecords).toBe(1);
      expect((await store.write(batch(id, { raw: [raw] }))).newRawRecords).toBe(0);
      expect(await store.getSourceFile(id, 'test', '/x.jsonl')).toEqual(state);
      await store.write(batch(id, { fileStates: [{ ...state, offset: 100, lines: 4 }] }));
      expect(await store.getSourceFile(id, 'test', '/x.jsonl')).toMatchObject({ offset: 100, lines: 4 });
      expect(await store.getSourceFile(id, 'test', '/none')).toBeNull();
      expect([...(await store.rawRecord(id, 'test', 'ab'.repeat(32)))!]).toEqual([1, 2, 3]);
    });

    test('reads messages in conversation order, in pages after a cursor', async (store) => {
      const { id } = await store.ensureProject('p');
      const messages = Array.from({ length: 7 }, (_, i) =>
        message(`m${i}`, { timestamp: i < 3 ? null : t0 + (7 - i), seq: i }),
      );
      await store.write(batch(id, { sessions: [{ source: 'test', externalId: 's1' }], messages }));
      const [session] = await store.findSessions(id, 's1');
      const all = await collect(store.messages(session!.id));
      expect(all.map((m) => m.externalId)).toEqual(['m0', 'm1', 'm2', 'm6', 'm5', 'm4', 'm3']);
      const last = all[2]!;
      const page = await collect(
        store.messages(session!.id, {
          after: { timestamp: last.timestamp ?? 0, seq: last.seq, id: last.id },
          limit: 2,
        }),
      );
      expect(page.map((m) => m.externalId)).toEqual(['m6', 'm5']);
    });

    test('lists sessions newest first with offset and keyset pages, and by text', async (store) => {
      const { id } = await store.ensureProject('p');
      for (let i = 0; i < 5; i++)
        await store.write(
          batch(id, {
            sessions: [{ source: 'test', externalId: `s${i}`, timestamp: t0 + i * 1000 }],
            messages: [
              message(`m${i}`, { sessionExternalId: `s${i}`, text: i === 2 ? 'the zebra runs' : 'plain' }),
            ],
          }),
        );
      const list = await store.listSessions({ projectId: id });
      expect(list.map((s) => s.externalId)).toEqual(['s4', 's3', 's2', 's1', 's0']);
      expect(
        (await store.listSessions({ projectId: id, limit: 2, offset: 1 })).map((s) => s.externalId),
      ).toEqual(['s3', 's2']);
      const after = { startedAt: list[1]!.startedAt ?? 0, id: list[1]!.id };
      expect((await store.listSessions({ projectId: id, after, limit: 2 })).map((s) => s.externalId)).toEqual(
        ['s2', 's1'],
      );
      expect((await store.listSessions({ projectId: id, text: 'zebra' })).map((s) => s.externalId)).toEqual([
        's2',
      ]);
    });

    test('changes a session’s status only from the allowed ones, and records the change', async (store) => {
      const { id } = await store.ensureProject('p');
      await store.write(batch(id, { sessions: [{ source: 'test', externalId: 's1', status: 'active' }] }));
      const [session] = await store.findSessions(id, 's1');
      const request = {
        sessionId: session!.id,
        from: ['active' as const],
        to: 'stopped' as const,
        reason: 'idle',
        at: t0,
      };
      expect(await store.transitionSession(request)).toMatchObject({ from: 'active', to: 'stopped' });
      expect(await store.transitionSession(request)).toBeNull();
      expect(await store.sessionTransitions(session!.id)).toEqual([
        { sessionId: session!.id, from: 'active', to: 'stopped', reason: 'idle', at: t0 },
      ]);
      expect((await store.sessionsInStatus({ status: 'stopped', limit: 10 })).map((s) => s.id)).toEqual([
        session!.id,
      ]);
    });

    test('reopens a completed session when new messages arrive for it, and only then', async (store) => {
      const { id } = await store.ensureProject('p');
      const session = { source: 'test', externalId: 's1', status: 'active' as const };
      await store.write(batch(id, { sessions: [session], messages: [message('m1')] }));
      const [s1] = await store.findSessions(id, 's1');
      const move = (from: 'active' | 'stopped' | 'processing', to: 'stopped' | 'processing' | 'completed') =>
        store.transitionSession({ sessionId: s1!.id, from: [from], to, reason: 'test', at: t0 });
      await move('active', 'stopped');
      await move('stopped', 'processing');
      await move('processing', 'completed');
      // A resend changes nothing: the session stays completed.
      await store.write(batch(id, { sessions: [session], messages: [message('m1')] }));
      expect((await store.getSession(s1!.id))?.status).toBe('completed');
      await store.write(batch(id, { sessions: [session], messages: [message('m2')] }));
      expect((await store.getSession(s1!.id))?.status).toBe('active');
      expect((await store.sessionTransitions(s1!.id)).map((t) => `${t.from}>${t.to}`)).toEqual([
        'active>stopped',
        'stopped>processing',
        'processing>completed',
        'completed>active',
      ]);
    });

    test('keeps a message holding U+0000 (as U+FFFD where the engine cannot store it)', async (store) => {
      const { id } = await store.ensureProject('p');
      const nul = 'a\u0000b';
      const result = await store.write(
        batch(id, {
          sessions: [{ source: 'test', externalId: 's1', title: nul, meta: { note: nul } }],
          messages: [
            message('m1', { text: nul, blocks: [{ type: 'text', text: nul }], meta: { note: nul } }),
          ],
        }),
      );
      expect(result.newMessages).toBe(1);
      const readable = (text: string | null | undefined) => text?.replaceAll('\u0000', '\uFFFD');
      const stored = await store.findMessage(id, 'test', 'm1');
      expect(readable(stored?.text)).toBe('a\uFFFDb');
      expect(stored?.blocks.map((b) => (b.type === 'text' ? readable(b.text) : b.type))).toEqual([
        'a\uFFFDb',
      ]);
      expect(readable(stored?.meta.note as string)).toBe('a\uFFFDb');
      const [session] = await store.findSessions(id, 's1');
      expect(readable(session?.title)).toBe('a\uFFFDb');
    });

    test('creates, finds, lists and revokes API keys', async (store) => {
      const { id } = await store.ensureProject('p');
      const key = {
        id: 'k1',
        projectId: id,
        name: 'ci',
        scopes: ['ingest' as const],
        secretHash: new Uint8Array([9, 9]),
        createdAt: t0,
      };
      expect(await store.createApiKey(key)).toMatchObject({
        id: 'k1',
        projectName: 'p',
        scopes: ['ingest'],
        revokedAt: null,
      });
      expect(await store.findApiKey('k1')).toMatchObject({ secretHash: new Uint8Array([9, 9]) });
      expect((await store.listApiKeys(id)).map((k) => k.id)).toEqual(['k1']);
      expect(await store.revokeApiKey('k1', t0 + 1)).toMatchObject({ revokedAt: t0 + 1 });
      expect(await store.revokeApiKey('k1', t0 + 2)).toMatchObject({ revokedAt: t0 + 1 });
      expect(await store.revokeApiKey('none', t0)).toBeNull();
    });

    test('says which raw records and messages a re-import finds stored, and their versions', async (store) => {
      const { id } = await store.ensureProject('p');
      const other = (await store.ensureProject('q')).id;
      const stored = 'ab'.repeat(32);
      const absent = 'cd'.repeat(32);
      const raw = (hash: string) => ({
        source: 'test',
        hash,
        recordType: 'line',
        sessionExternalId: 's1',
        line: 1,
        byteOffset: 0,
        data: new Uint8Array([1]),
      });
      await store.write(batch(id, { raw: [raw(stored)], messages: [message('a'), message('b')] }));
      // The same keys in another project or source are not this file's records.
      await store.write(batch(other, { raw: [raw(absent)], messages: [message('c')] }));
      await store.write(batch(id, { messages: [message('d', { source: 'other' })] }));
      const session = sessionIdFor(id, 'test', 's1');
      const found = await store.storedVersions({
        projectId: id,
        source: 'test',
        rawHashes: [stored, absent],
        messageExternalIds: ['a', 'b', 'c', 'd', 'none'],
      });
      expect(found.rawHashes).toEqual(new Set([stored]));
      expect(found.messages).toEqual(
        new Map([
          ['a', { sessionId: session, contentHash: 'hash-a' }],
          ['b', { sessionId: session, contentHash: 'hash-b' }],
        ]),
      );
      const none = await store.storedVersions({
        projectId: id,
        source: 'test',
        rawHashes: [],
        messageExternalIds: [],
      });
      expect(none).toEqual({ rawHashes: new Set(), messages: new Map() });
    });
  });
}
