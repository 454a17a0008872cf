import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../support/temp-dir.ts';
import {
  bearer,
  jsonOf,
  listening,
  message,
  type BatchBody,
  type ErrorBody,
  type SessionListBody,
} from './server-fixture.ts';

const tempDir = useTempDirs();

describe('HTTP over a real listener (fetch)', () => {
  it('stores concurrent batches from many clients, each answered after its commit', async () => {
    const f = await listening(tempDir());
    try {
      expect(f.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const post = (n: number) =>
        fetch(`${f.server.url}/v1/messages:batch`, {
          method: 'POST',
          headers: { ...bearer(f.key), 'content-type': 'application/json' },
          body: JSON.stringify({ messages: [message(`a${n}`, `s${n % 3}`), message(`b${n}`, `s${n % 3}`)] }),
        });
      const answers = await Promise.all(Array.from({ length: 20 }, (_, n) => post(n)));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(207));
      const bodies = await Promise.all(answers.map((a) => jsonOf<BatchBody>(a)));
      expect(bodies.flatMap((b) => b.results.map((r) => r.status))).toEqual(Array(40).fill('accepted'));
      expect(await f.agentlog.store.counts(f.agentlog.project.id)).toMatchObject({
        sessions: 3,
        messages: 40,
      });
      const list = await fetch(`${f.server.url}/v1/sessions?limit=2`, { headers: bearer(f.key) });
      const page = await jsonOf<SessionListBody>(list);
      expect([page.sessions.length, typeof page.nextCursor]).toEqual([2, 'string']);
    } finally {
      await f.close();
    }
  });

  it('answers a body over the limit with 413, a missing key with 401, and health without a key', async () => {
    const f = await listening(tempDir(), { maxBodyBytes: 4096 });
    try {
      const big = await fetch(`${f.server.url}/v1/messages:batch`, {
        method: 'POST',
        headers: { ...bearer(f.key), 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [message('a', 's', { content: 'x'.repeat(10_000) })] }),
      });
      expect(big.status).toBe(413);
      expect((await jsonOf<ErrorBody>(big)).error).toMatchObject({
        code: 'PAYLOAD_TOO_LARGE',
        message: expect.stringContaining('4096'),
      });
      const anonymous = await fetch(`${f.server.url}/v1/sessions`);
      expect(anonymous.status).toBe(401);
      expect((await jsonOf<ErrorBody>(anonymous)).error.hint).toContain('Authorization: Bearer');
      const health = await fetch(`${f.server.url}/v1/health`);
      expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    } finally {
      await f.close();
    }
  });
});
