import { describe, expect, it } from 'vitest';
import { searchResponseSchema } from '../../src/analytics/search-contract.ts';
import { injectable } from '../server/server-fixture.ts';
import { useTempDirs } from '../support/temp-dir.ts';

describe('GET /v1/search', () => {
  const tempDir = useTempDirs();

  it('searches the key’s project with the same filters and answer as the CLI', async () => {
    const f = await injectable(tempDir());
    try {
      const auth = { authorization: `Bearer ${f.key}` };
      const sent = await f.app.inject({
        method: 'POST',
        url: '/v1/messages:batch',
        headers: auth,
        payload: {
          messages: [
            {
              id: 'a',
              session: 'chat',
              role: 'user',
              content: 'Export the archive to Parquet',
              speaker: { name: 'alice', role: 'dev' },
              timestamp: '2025-03-01T10:00:00Z',
            },
            {
              id: 'b',
              session: 'chat',
              role: 'assistant',
              content: 'Parquet export done',
              timestamp: '2025-03-02T10:00:00Z',
            },
          ],
        },
      });
      expect(sent.statusCode).toBe(207);
      const search = async (query: string, headers: Record<string, string> = auth) =>
        f.app.inject({ method: 'GET', url: `/v1/search?${query}`, headers });

      const both = await search('q=parquet');
      expect(both.statusCode).toBe(200);
      const body = searchResponseSchema.parse(both.json());
      expect(body.results.map((r) => r.speaker).sort()).toEqual(['alice', 'assistant']);
      const hit = body.results.find((r) => r.speaker === 'alice')!;
      expect(hit.snippet.slice(...hit.highlights[0]!)).toBe('Parquet');

      const since = searchResponseSchema.parse((await search('q=parquet&since=2025-03-02T00:00:00Z')).json());
      expect(since.results.map((r) => r.speaker)).toEqual(['assistant']);
      const bySpeaker = searchResponseSchema.parse((await search('q=export&speaker=alice&limit=5')).json());
      expect(bySpeaker.results).toHaveLength(1);
      const syntax = await search(`q=${encodeURIComponent('"parquet" AND (NEAR')}`);
      expect(syntax.statusCode).toBe(200);

      expect((await search('limit=5')).statusCode).toBe(400);
      expect((await search('q=x&limit=9999')).statusCode).toBe(400);
      expect((await search('q=x', {})).statusCode).toBe(401);
      const other = await f.newKey('other', ['read']);
      const foreign = await search('q=parquet', { authorization: `Bearer ${other}` });
      expect(foreign.json()).toEqual({ results: [] });
      const ingestOnly = await f.newKey('default', ['ingest']);
      expect((await search('q=parquet', { authorization: `Bearer ${ingestOnly}` })).statusCode).toBe(403);
    } finally {
      await f.close();
    }
  });
});
