import { describe, expect, it } from 'vitest';
import { revokeApiKey } from '../../src/auth/api-keys.ts';
import type { ServerFrame } from '../../src/server/ws-protocol.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { bearer, listening, message } from './server-fixture.ts';
import { WsClient, wsUrl } from './ws-client.ts';

const tempDir = useTempDirs();

const byRef = (frames: ServerFrame[]) => Object.fromEntries(frames.map((f) => [f.ref, f]));

describe('WebSocket /v1/ws (real listener, real client)', () => {
  it('answers every frame of a session with its durable status', async () => {
    const f = await listening(tempDir());
    try {
      const client = await WsClient.open(wsUrl(f.server.url), bearer(f.key));
      client.send({
        type: 'session_start',
        ref: 'r1',
        session: 'w1',
        metadata: { title: 'Checkout flow', cwd: '/app' },
      });
      client.send({ type: 'message', ref: 'r2', message: message('m1', 'w1') });
      client.send({
        type: 'interaction',
        ref: 'r3',
        interaction: {
          id: 'i1',
          session: 'w1',
          type: 'click',
          target: 'button#buy',
          url: 'https://shop.example/cart',
          text: 'Buy',
        },
      });
      client.send({ type: 'ping', ref: 'r4' });
      const frames = byRef(await client.take(4));
      expect(frames).toEqual({
        r1: { type: 'ack', ref: 'r1', frame: 'session_start', id: 'w1', status: 'accepted' },
        r2: { type: 'ack', ref: 'r2', frame: 'message', id: 'm1', status: 'accepted' },
        r3: { type: 'ack', ref: 'r3', frame: 'interaction', id: 'i1', status: 'accepted' },
        r4: { type: 'pong', ref: 'r4' },
      });
      client.send({ type: 'session_stop', ref: 'r5', session: 'w1' });
      expect(await client.next()).toEqual({
        type: 'ack',
        ref: 'r5',
        frame: 'session_stop',
        id: 'w1',
        status: 'accepted',
      });
      client.send({ type: 'session_stop', ref: 'r6', session: 'w1' });
      expect(await client.next()).toMatchObject({ ref: 'r6', status: 'duplicate' });
      client.send({ type: 'session_stop', ref: 'r7', session: 'nobody' });
      expect(await client.next()).toMatchObject({
        ref: 'r7',
        status: 'rejected',
        reason: expect.stringContaining('no such session'),
      });
      await client.close();

      const { store, project } = f.agentlog;
      const [session] = await store.listSessions({ projectId: project.id });
      expect(session).toMatchObject({
        externalId: 'w1',
        status: 'stopped',
        title: 'Checkout flow',
        cwd: '/app',
        messageCount: 2,
      });
      const stored = [];
      for await (const m of store.messages(session!.id)) stored.push(m);
      expect(stored.map((m) => [m.externalId, m.kind])).toEqual([
        ['m1', 'message'],
        ['i1', 'event'],
      ]);
      expect(stored[1]!.blocks).toEqual([
        {
          type: 'other',
          kind: 'interaction',
          value: { type: 'click', target: 'button#buy', url: 'https://shop.example/cart', text: 'Buy' },
        },
      ]);
      expect(await store.sessionTransitions(session!.id)).toEqual([
        expect.objectContaining({ from: 'active', to: 'stopped', reason: 'session_stop frame' }),
      ]);
    } finally {
      await f.close();
    }
  });

  it('de-duplicates what a reconnecting client sends again (key as ?token=)', async () => {
    const f = await listening(tempDir());
    try {
      const first = await WsClient.open(wsUrl(f.server.url), bearer(f.key));
      first.send({ type: 'message', message: message('m1', 'w1') });
      expect(await first.next()).toMatchObject({ id: 'm1', status: 'accepted' });
      await first.close();
      const second = await WsClient.open(wsUrl(f.server.url, `?token=${encodeURIComponent(f.key)}`));
      second.send({ type: 'message', ref: 'again', message: message('m1', 'w1') });
      second.send({ type: 'message', ref: 'new', message: message('m2', 'w1') });
      expect(byRef(await second.take(2))).toMatchObject({
        again: { id: 'm1', status: 'duplicate' },
        new: { id: 'm2', status: 'accepted' },
      });
      await second.close();
      expect((await f.agentlog.store.counts(f.agentlog.project.id)).messages).toBe(2);
    } finally {
      await f.close();
    }
  });

  it('rejects malformed frames one by one and keeps the connection', async () => {
    const f = await listening(tempDir());
    try {
      const client = await WsClient.open(wsUrl(f.server.url), bearer(f.key));
      client.send('{not json');
      expect(await client.next()).toMatchObject({
        type: 'ack',
        frame: null,
        id: null,
        status: 'rejected',
        reason: expect.stringContaining('not JSON'),
      });
      client.send({ type: 'teleport', ref: 'x' });
      expect(await client.next()).toMatchObject({ ref: 'x', frame: null, status: 'rejected' });
      client.send({ type: 'message', ref: 'y', message: { id: 'm9', session: 'w1', content: 'no role' } });
      expect(await client.next()).toMatchObject({
        ref: 'y',
        frame: 'message',
        id: 'm9',
        status: 'rejected',
        reason: expect.stringContaining('role'),
      });
      client.send({ type: 'session_start', ref: 'z' });
      expect(await client.next()).toMatchObject({
        ref: 'z',
        frame: 'session_start',
        status: 'rejected',
        reason: expect.stringContaining('session'),
      });
      client.socket.send(Buffer.from([1, 2, 3]));
      expect(await client.next()).toMatchObject({
        status: 'rejected',
        reason: expect.stringContaining('binary'),
      });
      client.send({ type: 'message', ref: 'ok', message: message('m1', 'w1') });
      expect(await client.next()).toMatchObject({ ref: 'ok', status: 'accepted' });
      await client.close();
      const metrics = await fetch(`${f.server.url}/metrics`, {
        headers: bearer(await f.newKey('ops', ['admin'])),
      });
      expect(await metrics.text()).toContain('agentlog_messages_rejected_total{transport="ws"} 5');
    } finally {
      await f.close();
    }
  });

  it('closes a connection that sends a frame over the size limit with 1009', async () => {
    const f = await listening(tempDir(), { maxBodyBytes: 2048 });
    try {
      const client = await WsClient.open(wsUrl(f.server.url), bearer(f.key));
      client.send({ type: 'message', message: message('a', 's', { content: 'x'.repeat(5000) }) });
      expect((await client.closed).code).toBe(1009);
    } finally {
      await f.close();
    }
  });

  it('refuses the upgrade without a valid key (401) or without the ingest scope (403)', async () => {
    const f = await listening(tempDir());
    try {
      const revoked = await f.newKey('default');
      await revokeApiKey(f.agentlog.store, revoked.slice(0, 20));
      const readOnly = await f.newKey('default', ['read']);
      const cases: [Record<string, string>, string, number][] = [
        [{}, '', 401],
        [bearer('alk_wrong'), '', 401],
        [bearer(revoked), '', 401],
        [{}, `?token=${revoked}`, 401],
        [bearer(readOnly), '', 403],
      ];
      for (const [headers, query, status] of cases) {
        const refused = await WsClient.open(wsUrl(f.server.url, query), headers).then(
          () => 0,
          (error: { status?: number }) => error.status,
        );
        expect(refused).toBe(status);
      }
    } finally {
      await f.close();
    }
  });

  it('pings its clients (heartbeat)', async () => {
    const f = await listening(tempDir(), { heartbeatSeconds: 1 });
    try {
      const client = await WsClient.open(wsUrl(f.server.url), bearer(f.key));
      await new Promise((resolve) => client.socket.once('ping', resolve));
      client.send({ type: 'ping', ref: 'still-open' });
      expect(await client.next()).toEqual({ type: 'pong', ref: 'still-open' });
      await client.close();
    } finally {
      await f.close();
    }
  });

  it('says slow_down when the queue is full, and on shutdown answers what is in flight before closing', async () => {
    const f = await listening(tempDir(), { queueMaxRecords: 1, commitDelayMs: 60_000 });
    const client = await WsClient.open(wsUrl(f.server.url), bearer(f.key));
    client.send({ type: 'message', ref: 'held', message: message('m1', 'w1') });
    // The pong proves the first frame was read (and queued) before the next one is sent.
    client.send({ type: 'ping', ref: 'p' });
    expect(await client.next()).toEqual({ type: 'pong', ref: 'p' });
    client.send({ type: 'message', ref: 'over', message: message('m2', 'w1') });
    expect(await client.next()).toEqual({
      type: 'slow_down',
      ref: 'over',
      frame: 'message',
      id: 'm2',
      retryAfterMs: 1000,
    });
    const closing = f.server.close();
    expect(await client.next()).toMatchObject({ ref: 'held', id: 'm1', status: 'accepted' });
    expect((await client.closed).code).toBe(1001);
    await closing;
    expect((await f.agentlog.store.counts(f.agentlog.project.id)).messages).toBe(1);
    await f.agentlog.close();
  });
});
