import { describe, expect, it } from 'vitest';
import { revokeApiKey } from '../../src/auth/api-keys.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { bearer, injectable, message, until } from './server-fixture.ts';

const tempDir = useTempDirs();
const batchUrl = '/v1/messages:batch';

describe('POST /v1/messages:batch (app.inject)', () => {
  it('answers 207 with one status per message, in order, after the accepted ones are committed', async () => {
    const f = await injectable(tempDir());
    try {
      const messages = [
        message('a', 's1', { speaker: { name: 'alice', role: 'human' }, timestamp: '2026-01-02T03:04:05Z' }),
        message('b', 's1', {
          role: 'assistant',
          content: [{ type: 'text', text: 'hi' }],
          timestamp: 1767323046000,
        }),
        { id: 'c', session: 's1', role: 'robot', content: 'x' },
        'not an object',
        message('a'),
      ];
      const res = await f.app.inject({
        method: 'POST',
        url: batchUrl,
        headers: bearer(f.key),
        payload: { messages },
      });
      expect(res.statusCode).toBe(207);
      expect(res.json().results).toEqual([
        { index: 0, id: 'a', status: 'accepted' },
        { index: 1, id: 'b', status: 'accepted' },
        { index: 2, id: 'c', status: 'rejected', reason: expect.stringContaining('role') },
        { index: 3, id: null, status: 'rejected', reason: expect.any(String) },
        { index: 4, id: 'a', status: 'duplicate' },
      ]);
      const { store, project } = f.agentlog;
      // Raw records are kept by content: the resent `a` differs from the first, so it is kept too.
      expect(await store.counts(project.id)).toMatchObject({ sessions: 1, messages: 2, rawRecords: 3 });
      const [session] = await store.listSessions({ projectId: project.id });
      expect(session).toMatchObject({ source: 'api', externalId: 's1', status: 'active', messageCount: 2 });
      const stored = [];
      for await (const m of store.messages(session!.id)) stored.push(m);
      expect(stored.map((m) => [m.externalId, m.role, m.text, m.speaker?.name ?? null, m.timestamp])).toEqual(
        [
          ['a', 'user', 'text of a', 'alice', Date.parse('2026-01-02T03:04:05Z')],
          ['b', 'assistant', 'hi', null, 1767323046000],
        ],
      );
    } finally {
      await f.close();
    }
  });

  it('a resent batch adds nothing: every message is a duplicate', async () => {
    const f = await injectable(tempDir());
    try {
      const payload = { messages: [message('a'), message('b')] };
      await f.app.inject({ method: 'POST', url: batchUrl, headers: bearer(f.key), payload });
      const again = await f.app.inject({ method: 'POST', url: batchUrl, headers: bearer(f.key), payload });
      expect(again.json().results.map((r: { status: string }) => r.status)).toEqual([
        'duplicate',
        'duplicate',
      ]);
      expect((await f.agentlog.store.counts(f.agentlog.project.id)).messages).toBe(2);
    } finally {
      await f.close();
    }
  });

  it('keeps blocks it does not model whole, and maps tool blocks', async () => {
    const f = await injectable(tempDir());
    try {
      const content = [
        { type: 'tool_use', id: 't1', name: 'Read', input: { path: 'a' } },
        { type: 'tool_result', toolUseId: 't1', content: 'ok' },
        { type: 'image_url', url: 'https://example.com/a.png' },
      ];
      const res = await f.app.inject({
        method: 'POST',
        url: batchUrl,
        headers: bearer(f.key),
        payload: { messages: [message('a', 's1', { role: 'assistant', content })] },
      });
      expect(res.json().results[0].status).toBe('accepted');
      const [session] = await f.agentlog.store.listSessions({ projectId: f.agentlog.project.id });
      for await (const m of f.agentlog.store.messages(session!.id)) {
        expect(m.blocks).toEqual([
          { type: 'tool_use', id: 't1', name: 'Read', input: { path: 'a' } },
          { type: 'tool_result', toolUseId: 't1', content: 'ok', isError: false },
          {
            type: 'other',
            kind: 'image_url',
            value: { type: 'image_url', url: 'https://example.com/a.png' },
          },
        ]);
      }
    } finally {
      await f.close();
    }
  });

  it('answers malformed bodies with a clear 4xx', async () => {
    const f = await injectable(tempDir(), { maxBatchMessages: 3, maxBodyBytes: 2048 });
    try {
      const post = (payload: string, type = 'application/json') =>
        f.app.inject({
          method: 'POST',
          url: batchUrl,
          headers: { ...bearer(f.key), 'content-type': type },
          payload,
        });
      const cases: [string, string, number, string][] = [
        ['{"messages": [', 'application/json', 400, 'INVALID_ARGUMENT'],
        ['{"message": []}', 'application/json', 400, 'INVALID_ARGUMENT'],
        ['{"messages": {}}', 'application/json', 400, 'INVALID_ARGUMENT'],
        ['[]', 'application/json', 400, 'INVALID_ARGUMENT'],
        ['messages', 'text/plain', 415, 'UNSUPPORTED_FORMAT'],
        [JSON.stringify({ messages: [1, 2, 3, 4] }), 'application/json', 413, 'PAYLOAD_TOO_LARGE'],
        [
          JSON.stringify({ messages: [message('a', 's', { content: 'x'.repeat(4096) })] }),
          'application/json',
          413,
          'PAYLOAD_TOO_LARGE',
        ],
      ];
      for (const [payload, type, status, code] of cases) {
        const res = await post(payload, type);
        expect({
          payload: payload.slice(0, 30),
          status: res.statusCode,
          code: res.json().error.code,
        }).toEqual({
          payload: payload.slice(0, 30),
          status,
          code,
        });
        expect(res.json().error.message.length).toBeGreaterThan(10);
      }
      expect((await post(JSON.stringify({ messages: [1, 2, 3, 4] }))).json().error.message).toContain(
        'limit is 3',
      );
      expect((await f.agentlog.store.counts(f.agentlog.project.id)).messages).toBe(0);
    } finally {
      await f.close();
    }
  });

  it('answers 429 with Retry-After when the write queue is full, and drains in-flight work on close', async () => {
    // A long commit delay holds the first batch in the queue, so the second one finds it full.
    const f = await injectable(tempDir(), { queueMaxRecords: 2, commitDelayMs: 60_000 });
    const first = f.app.inject({
      method: 'POST',
      url: batchUrl,
      headers: bearer(f.key),
      payload: { messages: [message('a'), message('b')] },
    });
    await until(() => f.committer.depth.items > 0);
    const second = await f.app.inject({
      method: 'POST',
      url: batchUrl,
      headers: bearer(f.key),
      payload: { messages: [message('c')] },
    });
    expect(second.statusCode).toBe(429);
    expect(second.headers['retry-after']).toBe('1');
    expect(second.json().error.code).toBe('BUSY');
    await f.close();
    const res = await first;
    expect(res.statusCode).toBe(207);
    expect(res.json().results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);
  });
});

describe('authentication (app.inject)', () => {
  it('refuses a missing, malformed, wrong or revoked key with 401 and a lacking scope with 403', async () => {
    const f = await injectable(tempDir());
    try {
      const readOnly = await f.newKey('default', ['read']);
      const revoked = await f.newKey('default');
      await revokeApiKey(f.agentlog.store, revoked.slice(0, 20));
      const wrongSecret = `${f.key.slice(0, 21)}${'A'.repeat(f.key.length - 21)}`;
      const post = (headers: Record<string, string>) =>
        f.app.inject({ method: 'POST', url: batchUrl, headers, payload: { messages: [message('a')] } });
      const cases: [Record<string, string>, number, string][] = [
        [{}, 401, 'carries no API key'],
        [{ authorization: f.key }, 401, 'not "Bearer <key>"'],
        [bearer('alk_nonsense'), 401, 'not valid'],
        [bearer(wrongSecret), 401, 'not valid'],
        [bearer(revoked), 401, 'was revoked'],
        [bearer(readOnly), 403, 'lacks the "ingest" scope'],
      ];
      for (const [headers, status, text] of cases) {
        const res = await post(headers);
        expect([res.statusCode, res.json().error.message]).toEqual([status, expect.stringContaining(text)]);
      }
      expect((await post(bearer(f.key))).statusCode).toBe(207);
      expect((await f.agentlog.store.counts(f.agentlog.project.id)).messages).toBe(1);
    } finally {
      await f.close();
    }
  });

  it('gives a key only its own project: another project’s session is not found', async () => {
    const f = await injectable(tempDir());
    try {
      const otherKey = await f.newKey('other');
      await f.app.inject({
        method: 'POST',
        url: batchUrl,
        headers: bearer(f.key),
        payload: { messages: [message('a')] },
      });
      const mine = (
        await f.app.inject({ method: 'GET', url: '/v1/sessions', headers: bearer(f.key) })
      ).json();
      const id = mine.sessions[0].id as string;
      for (const url of [
        `/v1/sessions/${id}`,
        `/v1/sessions/s1`,
        `/v1/sessions/${id}/messages`,
        `/v1/sessions/${id}/export`,
      ]) {
        const res = await f.app.inject({ method: 'GET', url, headers: bearer(otherKey) });
        expect([url, res.statusCode, res.json().error.code]).toEqual([url, 404, 'NOT_FOUND']);
      }
      const stop = await f.app.inject({
        method: 'POST',
        url: `/v1/sessions/${id}/stop`,
        headers: bearer(otherKey),
      });
      expect(stop.statusCode).toBe(404);
      const theirs = (
        await f.app.inject({ method: 'GET', url: '/v1/sessions', headers: bearer(otherKey) })
      ).json();
      expect(theirs.sessions).toEqual([]);
      // The same client ids in another project are that project's own messages, not duplicates.
      const res = await f.app.inject({
        method: 'POST',
        url: batchUrl,
        headers: bearer(otherKey),
        payload: { messages: [message('a')] },
      });
      expect(res.json().results[0].status).toBe('accepted');
    } finally {
      await f.close();
    }
  });
});
