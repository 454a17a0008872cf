import { describe, expect, it } from 'vitest';
import type { AddResult, ContextResult, RecentResult } from '../../src/memory/index.ts';
import { SessionMemory } from '../../src/memory/index.ts';
import { bearer, injectable } from '../server/server-fixture.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

type Fixture = Awaited<ReturnType<typeof injectable>>;

function client(f: Fixture, key = f.key) {
  return async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object) => {
    const res = await f.app.inject({
      method,
      url,
      headers: bearer(key),
      ...(payload === undefined ? {} : { payload }),
    });
    return {
      status: res.statusCode,
      body: res.headers['content-type']?.includes('json') ? res.json() : res.body,
    };
  };
}

describe('session memory over HTTP', () => {
  it('adds, reads, builds context, searches, edits, branches, pins and exports', async () => {
    const f = await injectable(tempDir());
    const call = client(f);
    try {
      const add = await call('POST', '/v1/memory/sessions/chat%2042/messages', {
        id: 'm1',
        role: 'user',
        content: 'How big is the box?',
        agent: 'sizing agent',
      });
      expect(add.status).toBe(201);
      const first = (add.body as AddResult).message;
      expect(first).toMatchObject({
        externalId: 'm1',
        agent: 'sizing agent',
        content: 'How big is the box?',
      });
      const again = await call('POST', '/v1/memory/sessions/chat%2042/messages', {
        id: 'm1',
        role: 'user',
        content: 'How big is the box?',
      });
      expect(again).toMatchObject({ status: 200, body: { status: 'duplicate', message: { id: first.id } } });
      await call('POST', '/v1/memory/sessions/chat%2042/messages', { role: 'assistant', content: '30 cm.' });

      const recent = await call('GET', '/v1/memory/sessions/chat%2042/messages?limit=10');
      expect((recent.body as RecentResult).messages.map((m) => m.content)).toEqual([
        'How big is the box?',
        '30 cm.',
      ]);

      expect(
        (await call('POST', '/v1/memory/sessions/chat%2042/pins', { note: 'Metric units.' })).status,
      ).toBe(201);
      const context = await call('GET', '/v1/memory/sessions/chat%2042/context?maxTokens=500');
      expect(context.status).toBe(200);
      expect(context.body).toMatchObject({
        format: 'text',
        text: 'Pinned note: Metric units.\nUser (sizing agent): How big is the box?\nAssistant: 30 cm.',
        included: 2,
        pinned: 1,
      });
      const messages = await call(
        'GET',
        '/v1/memory/sessions/chat%2042/context?maxTokens=500&format=messages&maxMessages=1',
      );
      expect(messages.body).toMatchObject({
        format: 'messages',
        messages: [
          { role: 'system', content: 'Pinned note: Metric units.' },
          { role: 'assistant', content: '30 cm.' },
        ],
        omitted: 1,
      });

      const found = await call('GET', '/v1/memory/sessions/chat%2042/search?q=box');
      expect(found.body).toMatchObject({ hits: [{ message: { id: first.id } }] });
      expect((await call('GET', '/v1/memory/search?q=cm')).body).toMatchObject({
        hits: [{ message: { content: '30 cm.' } }],
      });

      const edit = await call('PATCH', `/v1/memory/messages/${first.id}`, {
        content: 'How tall is the box?',
      });
      expect(edit).toMatchObject({
        status: 200,
        body: { changed: true, message: { content: 'How tall is the box?' } },
      });
      const revisions = await call('GET', `/v1/memory/messages/${first.id}/revisions`);
      expect(revisions.body).toMatchObject({ revisions: [{ content: 'How big is the box?' }] });

      const branch = await call('POST', '/v1/memory/sessions/chat%2042/branches', {
        fromMessageId: first.id,
        name: 'retry',
      });
      expect(branch).toMatchObject({
        status: 201,
        body: { session: { name: 'retry', branchOf: { messageId: first.id } } },
      });
      const retention = await call('PUT', '/v1/memory/sessions/retry/retention', { keepLast: 50 });
      expect(retention.body).toMatchObject({ session: { retention: { keepLast: 50 } } });
      expect((await call('GET', '/v1/memory/sessions/retry/pins')).body).toMatchObject({
        pins: [{ content: 'Metric units.' }],
      });

      const json = await call('GET', '/v1/memory/sessions/retry/export?format=json');
      expect(json.body).toMatchObject({
        session: { name: 'retry' },
        messages: [{ content: 'How tall is the box?', archived: false }],
      });
      const markdown = await call('GET', '/v1/memory/sessions/retry/export?format=markdown');
      expect(markdown.body).toContain('How tall is the box?');
      expect((await call('GET', '/v1/memory/sessions/retry')).body).toMatchObject({
        session: { name: 'retry' },
      });
    } finally {
      await f.close();
    }
  });

  it('answers what the library answers', async () => {
    const f = await injectable(tempDir());
    const call = client(f);
    try {
      for (let i = 0; i < 30; i++)
        await call('POST', '/v1/memory/sessions/s/messages', {
          role: i % 2 ? 'assistant' : 'user',
          content: `turn ${i}`,
        });
      const memory = new SessionMemory({
        store: f.agentlog.store,
        committer: f.committer,
        projectId: f.agentlog.project.id,
      });
      for (const [query, options] of [
        ['maxTokens=40', { maxTokens: 40 }],
        [
          'maxTokens=400&format=messages&perMessageChars=20',
          { maxTokens: 400, format: 'messages', perMessageChars: 20 },
        ],
      ] as const) {
        const http = (await call('GET', `/v1/memory/sessions/s/context?${query}`)).body as ContextResult;
        expect(http).toEqual(await memory.context('s', options));
      }
    } finally {
      await f.close();
    }
  });

  it('answers bad input with the error shape', async () => {
    const f = await injectable(tempDir());
    const call = client(f);
    try {
      await call('POST', '/v1/memory/sessions/s/messages', { role: 'user', content: 'x' });
      const cases: [string, 'GET' | 'POST' | 'PATCH' | 'PUT', string, object | undefined, number, string][] =
        [
          [
            'unknown session',
            'GET',
            '/v1/memory/sessions/nope/context?maxTokens=10',
            undefined,
            404,
            'NOT_FOUND',
          ],
          ['no budget', 'GET', '/v1/memory/sessions/s/context', undefined, 400, 'INVALID_ARGUMENT'],
          [
            'bad format',
            'GET',
            '/v1/memory/sessions/s/context?maxTokens=10&format=xml',
            undefined,
            400,
            'INVALID_ARGUMENT',
          ],
          [
            'zero budget',
            'GET',
            '/v1/memory/sessions/s/context?maxTokens=0',
            undefined,
            400,
            'INVALID_ARGUMENT',
          ],
          [
            'empty content',
            'POST',
            '/v1/memory/sessions/s/messages',
            { role: 'user', content: '' },
            400,
            'INVALID_ARGUMENT',
          ],
          ['no body', 'POST', '/v1/memory/sessions/s/pins', undefined, 400, 'INVALID_ARGUMENT'],
          ['unknown message', 'PATCH', '/v1/memory/messages/999', { content: 'x' }, 404, 'NOT_FOUND'],
          ['bad message id', 'GET', '/v1/memory/messages/abc/revisions', undefined, 400, 'INVALID_ARGUMENT'],
          ['empty query', 'GET', '/v1/memory/search?q=', undefined, 400, 'INVALID_ARGUMENT'],
          [
            'more than server.maxBodyBytes',
            'POST',
            '/v1/memory/sessions/s/messages',
            { role: 'user', content: 'x'.repeat(17 << 20) },
            413,
            'PAYLOAD_TOO_LARGE',
          ],
        ];
      for (const [what, method, url, payload, status, code] of cases) {
        const res = await call(method, url, payload);
        expect({
          what,
          status: res.status,
          code: (res.body as { error?: { code: string } }).error?.code,
        }).toEqual({
          what,
          status,
          code,
        });
      }
    } finally {
      await f.close();
    }
  });

  it('keeps projects apart and checks scopes', async () => {
    const f = await injectable(tempDir());
    try {
      await client(f)('POST', '/v1/memory/sessions/s/messages', { role: 'user', content: 'secret' });
      const other = client(f, await f.newKey('other'));
      expect((await other('GET', '/v1/memory/sessions/s/messages')).status).toBe(404);
      expect((await other('GET', '/v1/memory/search?q=secret')).body).toEqual({ hits: [] });
      const readOnly = client(f, await f.newKey('default', ['read']));
      expect((await readOnly('GET', '/v1/memory/sessions/s/messages')).status).toBe(200);
      expect(
        (await readOnly('POST', '/v1/memory/sessions/s/messages', { role: 'user', content: 'x' })).status,
      ).toBe(403);
      const res = await f.app.inject({ method: 'GET', url: '/v1/memory/sessions/s/messages' });
      expect(res.statusCode).toBe(401);
    } finally {
      await f.close();
    }
  });
});
