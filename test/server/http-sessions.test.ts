import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../src/server/openapi.ts';
import { projectRoot } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { bearer, injectable, message } from './server-fixture.ts';

const tempDir = useTempDirs();

type Fixture = Awaited<ReturnType<typeof injectable>>;

async function seed(f: Fixture): Promise<void> {
  const at = (iso: string) => ({ timestamp: iso });
  const messages = [
    message('a1', 's1', {
      ...at('2026-01-01T10:00:00Z'),
      content: 'the quick brown fox',
      speaker: { name: 'alice', role: 'human' },
    }),
    message('a2', 's1', { ...at('2026-01-01T10:01:00Z'), content: 'quick reply' }),
    message('b1', 's2', {
      ...at('2026-02-01T10:00:00Z'),
      content: 'a lazy dog',
      speaker: { name: 'bob', role: 'human' },
    }),
    message('c1', 's3', { ...at('2026-03-01T10:00:00Z'), content: 'fox again' }),
  ];
  const res = await f.app.inject({
    method: 'POST',
    url: '/v1/messages:batch',
    headers: bearer(f.key),
    payload: { messages },
  });
  expect(res.statusCode).toBe(207);
  // A session written by an importer: status `imported`, the oldest, titled.
  await f.agentlog.store.write({
    projectId: f.agentlog.project.id,
    sessions: [{ source: 'test', externalId: 'imp', timestamp: 5, title: 'Report on foxes' }],
    raw: [],
    messages: [],
    usage: [],
    blobs: [],
    fileStates: [],
  });
}

async function list(f: Fixture, query: string): Promise<string[]> {
  const res = await f.app.inject({ method: 'GET', url: `/v1/sessions?${query}`, headers: bearer(f.key) });
  expect(res.statusCode).toBe(200);
  return res.json().sessions.map((s: { externalId: string }) => s.externalId);
}

describe('GET /v1/sessions', () => {
  it('filters by source, speaker, status, time range and text', async () => {
    const f = await injectable(tempDir());
    try {
      await seed(f);
      expect(await list(f, '')).toEqual(['s3', 's2', 's1', 'imp']);
      expect(await list(f, 'source=test')).toEqual(['imp']);
      expect(await list(f, 'speaker=alice')).toEqual(['s1']);
      expect(await list(f, 'status=imported')).toEqual(['imp']);
      expect(await list(f, 'status=active')).toEqual(['s3', 's2', 's1']);
      expect(await list(f, 'since=2026-01-15T00:00:00Z')).toEqual(['s3', 's2']);
      expect(await list(f, `until=${Date.parse('2026-02-15T00:00:00Z')}`)).toEqual(['s2', 's1', 'imp']);
      expect(await list(f, 'q=fox')).toEqual(['s3', 's1', 'imp']);
      expect(await list(f, 'q=quick%20fox')).toEqual(['s1']);
      expect(await list(f, 'q=%22unbalanced')).toEqual([]);
    } finally {
      await f.close();
    }
  });

  it('pages with an opaque cursor until nextCursor is null', async () => {
    const f = await injectable(tempDir());
    try {
      await seed(f);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `limit=3${cursor === null ? '' : `&cursor=${cursor}`}`;
        const body = (
          await f.app.inject({ method: 'GET', url: `/v1/sessions?${query}`, headers: bearer(f.key) })
        ).json();
        seen.push(...body.sessions.map((s: { externalId: string }) => s.externalId));
        cursor = body.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      expect([pages, seen]).toEqual([2, ['s3', 's2', 's1', 'imp']]);
    } finally {
      await f.close();
    }
  });

  it('answers invalid query parameters with 400', async () => {
    const f = await injectable(tempDir());
    try {
      for (const query of [
        'limit=0',
        'limit=abc',
        'limit=501',
        'status=sleeping',
        'since=yesterday',
        'cursor=xyz',
      ]) {
        const res = await f.app.inject({
          method: 'GET',
          url: `/v1/sessions?${query}`,
          headers: bearer(f.key),
        });
        expect([query, res.statusCode, res.json().error.code]).toEqual([query, 400, 'INVALID_ARGUMENT']);
      }
    } finally {
      await f.close();
    }
  });
});

describe('one session', () => {
  it('is found by our id or by the client’s session id, its messages paged in order', async () => {
    const f = await injectable(tempDir());
    try {
      const messages = Array.from({ length: 5 }, (_, i) => message(`m${i}`, 'long', { timestamp: 1000 + i }));
      await f.app.inject({
        method: 'POST',
        url: '/v1/messages:batch',
        headers: bearer(f.key),
        payload: { messages },
      });
      const byClientId = (
        await f.app.inject({ method: 'GET', url: '/v1/sessions/long', headers: bearer(f.key) })
      ).json();
      const id = byClientId.session.id as string;
      expect(id).toMatch(/^ses_/);
      const byId = (
        await f.app.inject({ method: 'GET', url: `/v1/sessions/${id}`, headers: bearer(f.key) })
      ).json();
      expect(byId).toEqual(byClientId);

      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/v1/sessions/${id}/messages?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`;
        const body = (await f.app.inject({ method: 'GET', url, headers: bearer(f.key) })).json();
        pages.push(body.messages.map((m: { externalId: string }) => m.externalId));
        cursor = body.nextCursor;
      } while (cursor !== null && pages.length < 10);
      expect(pages).toEqual([['m0', 'm1'], ['m2', 'm3'], ['m4']]);

      const missing = await f.app.inject({ method: 'GET', url: '/v1/sessions/nope', headers: bearer(f.key) });
      expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'NOT_FOUND']);
    } finally {
      await f.close();
    }
  });

  it('exports as one JSON document or as Markdown', async () => {
    const f = await injectable(tempDir());
    try {
      await seed(f);
      const json = await f.app.inject({
        method: 'GET',
        url: '/v1/sessions/s1/export?format=json',
        headers: bearer(f.key),
      });
      expect(json.headers['content-type']).toContain('application/json');
      expect(json.headers['content-disposition']).toMatch(/attachment; filename="ses_\w+\.json"/);
      const doc = json.json();
      expect(doc.session.externalId).toBe('s1');
      expect(doc.messages.map((m: { text: string }) => m.text)).toEqual([
        'the quick brown fox',
        'quick reply',
      ]);
      const md = await f.app.inject({
        method: 'GET',
        url: '/v1/sessions/s1/export?format=markdown',
        headers: bearer(f.key),
      });
      expect(md.headers['content-type']).toContain('text/markdown');
      expect(md.body).toContain('the quick brown fox');
      expect(md.body).toContain('quick reply');
      const bad = await f.app.inject({
        method: 'GET',
        url: '/v1/sessions/s1/export?format=pdf',
        headers: bearer(f.key),
      });
      expect(bad.statusCode).toBe(400);
    } finally {
      await f.close();
    }
  });

  it('stops an active session once, recording when and why; other states are refused', async () => {
    const f = await injectable(tempDir());
    try {
      await seed(f);
      const stop = (ref: string, payload?: object) =>
        f.app.inject({
          method: 'POST',
          url: `/v1/sessions/${ref}/stop`,
          headers: bearer(f.key),
          ...(payload ? { payload } : {}),
        });
      const first = await stop('s1', { reason: 'tab closed' });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({
        session: { externalId: 's1', status: 'stopped' },
        transition: { from: 'active', to: 'stopped', reason: 'tab closed', at: expect.any(Number) },
      });
      const again = await stop('s1');
      expect([again.statusCode, again.json().transition, again.json().session.status]).toEqual([
        200,
        null,
        'stopped',
      ]);
      const sessionId = first.json().session.id as string;
      expect(await f.agentlog.store.sessionTransitions(sessionId)).toEqual([
        expect.objectContaining({ from: 'active', to: 'stopped', reason: 'tab closed' }),
      ]);
      const [importedSession] = await f.agentlog.store.listSessions({
        projectId: f.agentlog.project.id,
        source: 'test',
      });
      const imported = await stop(importedSession!.id);
      expect([imported.statusCode, imported.json().error.code]).toEqual([409, 'CONFLICT']);
      expect((await stop('nope')).statusCode).toBe(404);
      // A late message is still stored; the session stays stopped.
      await f.app.inject({
        method: 'POST',
        url: '/v1/messages:batch',
        headers: bearer(f.key),
        payload: { messages: [message('late', 's1')] },
      });
      const after = (
        await f.app.inject({ method: 'GET', url: '/v1/sessions/s1', headers: bearer(f.key) })
      ).json();
      expect(after.session).toMatchObject({ status: 'stopped', messageCount: 3 });
      expect(after.transitions).toEqual([
        { sessionId, from: 'active', to: 'stopped', reason: 'tab closed', at: first.json().transition.at },
      ]);
    } finally {
      await f.close();
    }
  });
});

describe('health, metrics, OpenAPI', () => {
  it('answers health and the OpenAPI document without a key; docs/openapi.json is the same document', async () => {
    const f = await injectable(tempDir());
    try {
      expect((await f.app.inject({ method: 'GET', url: '/v1/health' })).json()).toEqual({ status: 'ok' });
      const openapi = (await f.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      expect(openapi).toEqual(buildOpenApi());
      const docs = JSON.parse(readFileSync(join(projectRoot, 'docs', 'openapi.json'), 'utf8'));
      expect(
        docs,
        'docs/openapi.json is stale: npx agentlog serve --print-openapi > docs/openapi.json, then prettier',
      ).toEqual(openapi);
    } finally {
      await f.close();
    }
  });

  it('reports Prometheus metrics to an admin key only', async () => {
    const f = await injectable(tempDir());
    try {
      const admin = await f.newKey('ops', ['admin']);
      const payload = { messages: [message('a'), message('a'), { id: 'bad' }] };
      await f.app.inject({ method: 'POST', url: '/v1/messages:batch', headers: bearer(f.key), payload });
      expect((await f.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
      expect(
        (await f.app.inject({ method: 'GET', url: '/metrics', headers: bearer(f.key) })).statusCode,
      ).toBe(403);
      const res = await f.app.inject({ method: 'GET', url: '/metrics', headers: bearer(admin) });
      expect(res.headers['content-type']).toContain('text/plain');
      const lines = res.body.split('\n');
      for (const line of [
        'agentlog_messages_ingested_total{transport="http"} 1',
        'agentlog_messages_duplicate_total{transport="http"} 1',
        'agentlog_messages_rejected_total{transport="http"} 1',
        'agentlog_request_batch_messages_count 1',
        'agentlog_commit_batch_records_count 1',
        'agentlog_commit_batch_records_sum 2',
        'agentlog_commit_duration_seconds_count 1',
        'agentlog_write_queue_records 0',
        'agentlog_websocket_connections 0',
      ])
        expect(lines).toContain(line);
    } finally {
      await f.close();
    }
  });

  it('answers an unknown route with a JSON 404', async () => {
    const f = await injectable(tempDir());
    try {
      const res = await f.app.inject({ method: 'GET', url: '/v2/nothing' });
      expect([res.statusCode, res.json().error.code]).toEqual([404, 'NOT_FOUND']);
    } finally {
      await f.close();
    }
  });
});
