import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../support/temp-dir.ts';
import { bearer, listening, message } from './server-fixture.ts';

const tempDir = useTempDirs();

/** A POST whose body is sent in two parts: the headers and first bytes now, the rest on `finish`. */
function slowPost(url: string, key: string, body: string) {
  const target = new URL('/v1/messages:batch', url);
  let answered: (status: number) => void;
  const status = new Promise<number>((resolve) => (answered = resolve));
  const req = request(target, {
    method: 'POST',
    headers: {
      ...bearer(key),
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    },
  });
  req.on('response', (res) => {
    res.resume();
    answered(res.statusCode ?? 0);
  });
  req.write(body.slice(0, 10));
  return { status, finish: () => req.end(body.slice(10)) };
}

describe('request bodies in flight are bounded (server.maxInflightBodyBytes)', () => {
  it('answers 429 with Retry-After while the budget is taken, and takes the request once it is free', async () => {
    const f = await listening(tempDir(), { maxInflightBodyBytes: 4096, maxBodyBytes: 64 * 1024 });
    try {
      const url = f.server.url;
      const big = JSON.stringify({ messages: [message('m1', 's1', { content: 'x'.repeat(3000) })] });
      const first = slowPost(url, f.key, big);
      // The first request holds 3 KB of the 4 KB budget while its body arrives.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const refused = await fetch(new URL('/v1/messages:batch', url), {
        method: 'POST',
        headers: { ...bearer(f.key), 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [message('m2', 's1', { content: 'y'.repeat(2000) })] }),
      });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('BUSY');
      first.finish();
      expect(await first.status).toBe(207);
      const again = await fetch(new URL('/v1/messages:batch', url), {
        method: 'POST',
        headers: { ...bearer(f.key), 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [message('m2', 's1', { content: 'y'.repeat(2000) })] }),
      });
      expect(again.status).toBe(207);
      // A body larger than the whole budget, alone, is judged by its own limit, not refused here.
      const alone = await fetch(new URL('/v1/messages:batch', url), {
        method: 'POST',
        headers: { ...bearer(f.key), 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [message('m3', 's1', { content: 'z'.repeat(8000) })] }),
      });
      expect(alone.status).toBe(207);
    } finally {
      await f.close();
    }
  });
});
