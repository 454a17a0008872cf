import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createClient, type ClientWarning } from '../../src/client/index.ts';
import type { Store } from '../../src/storage/ports.ts';
import { listening } from '../server/server-fixture.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

/** A port nothing listens on (yet). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

async function storedIds(store: Store, projectId: number): Promise<string[]> {
  const ids: string[] = [];
  for (const session of await store.listSessions({ projectId, limit: 500 }))
    for await (const message of store.messages(session.id)) ids.push(message.externalId);
  return ids.sort();
}

/** Resolves once `warnings` holds a warning of `code` (the client reports, it never throws). */
async function warned(warnings: ClientWarning[], code: ClientWarning['code']): Promise<void> {
  for (let i = 0; i < 2000 && !warnings.some((w) => w.code === code); i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
}

const fast = { retryDelayMs: 20, maxRetryDelayMs: 200, flushIntervalMs: 5, requestTimeoutMs: 5000 };

describe.each(['http', 'websocket'] as const)('the SDK over %s', (transport) => {
  it('keeps what is captured while the server is down and delivers it exactly once when it comes up', async () => {
    const dir = tempDir();
    const port = await freePort();
    const warnings: ClientWarning[] = [];
    // The key exists before the server runs: create the store, issue the key, close it again.
    const setup = await listening(dir, { port: 0 });
    const key = setup.key;
    await setup.close();

    const client = createClient({
      url: `http://127.0.0.1:${port}`,
      apiKey: key,
      transport,
      maxBatchMessages: 7,
      onWarning: (w) => warnings.push(w),
      ...fast,
    });
    const ids = Array.from({ length: 40 }, (_, n) =>
      client.capture({ session: `s${n % 3}`, role: n % 2 ? 'assistant' : 'user', content: `message ${n}` }),
    );
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    await warned(warnings, 'retrying');
    expect(client.stats()).toMatchObject({ captured: 40, accepted: 0, pending: 40 });

    const f = await listening(dir, { port });
    try {
      expect(await client.flush(30_000)).toBe(true);
      expect(client.stats()).toMatchObject({ accepted: 40, duplicate: 0, dropped: 0, pending: 0 });
      expect(await storedIds(f.agentlog.store, f.agentlog.project.id)).toEqual([...(ids as string[])].sort());
      expect(await client.close()).toBe(true);
    } finally {
      await f.close();
    }
  });

  it('reconnects after the server went away, and sends on', async () => {
    const dir = tempDir();
    const first = await listening(dir);
    const port = Number(new URL(first.server.url).port);
    const client = createClient({ url: first.server.url, apiKey: first.key, transport, ...fast });
    client.capture({ id: 'before', session: 's', role: 'user', content: 'one' });
    expect(await client.flush()).toBe(true);
    await first.close();
    client.capture({ id: 'between', session: 's', role: 'user', content: 'two' });
    const second = await listening(dir, { port });
    try {
      client.capture({ id: 'after', session: 's', role: 'user', content: 'three' });
      expect(await client.close(30_000)).toBe(true);
      expect(client.stats()).toMatchObject({ accepted: 3, dropped: 0 });
      expect(await storedIds(second.agentlog.store, second.agentlog.project.id)).toEqual([
        'after',
        'before',
        'between',
      ]);
    } finally {
      await second.close();
    }
  });

  it('drops the oldest when the buffer is full, counted, and sends the newest', async () => {
    const dir = tempDir();
    const f = await listening(dir);
    const port = Number(new URL(f.server.url).port);
    await f.close();
    const warnings: ClientWarning[] = [];
    const client = createClient({
      url: `http://127.0.0.1:${port}`,
      apiKey: f.key,
      transport,
      maxBufferMessages: 5,
      onWarning: (w) => warnings.push(w),
      ...fast,
    });
    for (let n = 0; n < 8; n++) client.capture({ id: `m${n}`, session: 's', role: 'user', content: `${n}` });
    expect(client.stats()).toMatchObject({ captured: 8, dropped: 3 });
    expect(warnings.filter((w) => w.code === 'dropped').reduce((sum, w) => sum + w.count, 0)).toBe(3);

    const again = await listening(dir, { port });
    try {
      expect(await client.close(30_000)).toBe(true);
      expect(await storedIds(again.agentlog.store, again.agentlog.project.id)).toEqual([
        'm3',
        'm4',
        'm5',
        'm6',
        'm7',
      ]);
    } finally {
      await again.close();
    }
  });

  it('never throws into the host: bad input, failing warning handlers, use after close', async () => {
    const f = await listening(tempDir());
    try {
      const client = createClient({
        url: f.server.url,
        apiKey: f.key,
        transport,
        onWarning: () => {
          throw new Error('the host handler fails');
        },
        ...fast,
      });
      const circular: Record<string, unknown> = { session: 's', role: 'user' };
      circular.content = circular;
      const bad: unknown[] = [
        null,
        42,
        'text',
        {},
        { session: 's' },
        circular,
        { session: 's', role: 'user', content: 1n },
      ];
      for (const value of bad) expect(client.capture(value as never)).toBeNull();
      expect(client.capture({ session: 's', role: 'robot' as never, content: 'x' })).toEqual(
        expect.any(String),
      );
      expect(client.capture({ id: 'ok', session: 's', role: 'user', content: 'fine' })).toBe('ok');
      expect(await client.flush()).toBe(true);
      expect(client.stats()).toMatchObject({ invalid: bad.length, accepted: 1, rejected: 1, pending: 0 });
      expect(await client.close()).toBe(true);
      expect(client.capture({ session: 's', role: 'user', content: 'late' })).toBeNull();
      expect(client.stopSession('s')).toBe(false);
      expect(await client.flush()).toBe(true);
    } finally {
      await f.close();
    }
  });

  it('stops a session after the messages captured before it', async () => {
    const f = await listening(tempDir());
    try {
      const client = createClient({ url: f.server.url, apiKey: f.key, transport, ...fast });
      client.capture({ id: 'a', session: 'chat', role: 'user', content: 'hello' });
      expect(client.stopSession('chat', 'user left')).toBe(true);
      expect(client.stopSession('chat')).toBe(true);
      expect(await client.close()).toBe(true);
      expect(client.stats()).toMatchObject({ accepted: 2, duplicate: 1 });
      const [session] = await f.agentlog.store.findSessions(f.agentlog.project.id, 'chat');
      expect(session).toMatchObject({ status: 'stopped', messageCount: 1 });
    } finally {
      await f.close();
    }
  });
});

describe('the SDK over WebSocket: the session protocol', () => {
  it('starts a session with metadata and records interactions', async () => {
    const f = await listening(tempDir());
    try {
      const client = createClient({ url: f.server.url, apiKey: f.key, transport: 'websocket', ...fast });
      expect(client.startSession('tab-7', { title: 'Checkout', url: 'https://shop.example' })).toBe(true);
      client.capture({ id: 'm1', session: 'tab-7', role: 'user', content: 'Where is my order?' });
      expect(client.interaction({ id: 'e1', session: 'tab-7', type: 'click', target: 'button#track' })).toBe(
        'e1',
      );
      expect(await client.close()).toBe(true);
      expect(client.stats()).toMatchObject({ accepted: 3, pending: 0 });
      const [session] = await f.agentlog.store.findSessions(f.agentlog.project.id, 'tab-7');
      expect(session).toMatchObject({ title: 'Checkout', messageCount: 2 });
    } finally {
      await f.close();
    }
  });

  it('a wrong key is retried and reported, never thrown; close gives up after its timeout', async () => {
    const f = await listening(tempDir());
    try {
      const warnings: ClientWarning[] = [];
      const client = createClient({
        url: f.server.url,
        apiKey: 'alk_wrong',
        transport: 'websocket',
        onWarning: (w) => warnings.push(w),
        ...fast,
      });
      client.capture({ id: 'm1', session: 's', role: 'user', content: 'x' });
      await warned(warnings, 'retrying');
      expect(await client.close(50)).toBe(false);
      expect(client.stats()).toMatchObject({ accepted: 0, dropped: 1, pending: 0 });
      expect(warnings.map((w) => w.code)).toContain('closed');
    } finally {
      await f.close();
    }
  });
});
