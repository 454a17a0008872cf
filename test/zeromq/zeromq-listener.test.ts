import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Publisher, Push } from 'zeromq';
import type { Store } from '../../src/storage/ports.ts';
import { bearer, listening } from '../server/server-fixture.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

/** Polls (up to ~20 s) until `check` holds: a ZeroMQ sender has no answer to wait for. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error('condition never held');
}

async function externalIds(store: Store, projectId: number): Promise<string[]> {
  const ids: string[] = [];
  for (const session of await store.listSessions({ projectId, limit: 100 }))
    for await (const message of store.messages(session.id)) ids.push(message.externalId);
  return ids.sort();
}

const message = (id: string, session = 's1') => ({ id, session, role: 'user', content: `text of ${id}` });

describe('ZeroMQ capture', () => {
  it('stores what a PUSH peer sends; counts invalid frames and rejected messages in /metrics', async () => {
    const f = await listening(tempDir(), {
      zeromq: { pull: 'tcp://127.0.0.1:*', sub: [], topics: [''], project: 'agents' },
    });
    const push = new Push({ linger: 0 });
    try {
      const endpoint = f.server.zeromq!.pullEndpoint!;
      expect(endpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
      push.connect(endpoint);
      await push.send(JSON.stringify({ messages: [message('m1'), message('m2'), { id: 'bad' }] }));
      await push.send('this is not JSON');
      await push.send(
        JSON.stringify({ Id: 'r1', ContextId: 'ctx', Message: 'from a record', SpeakerName: 'planner' }),
      );
      await push.send(JSON.stringify(message('m1'))); // sent again: stored once
      await push.send([Buffer.from('{"messages": []}')]);

      const agents = await f.agentlog.store.ensureProject('agents');
      const admin = await f.newKey('default', ['admin']);
      const metrics = async () => (await fetch(`${f.server.url}/metrics`, { headers: bearer(admin) })).text();
      await eventually(async () => (await metrics()).includes('outcome="invalid"} 2'));
      await eventually(async () => /socket="pull",outcome="committed"} 3/.test(await metrics()));

      expect(await externalIds(f.agentlog.store, agents.id)).toEqual(['m1', 'm2', 'r1']);
      expect(await f.agentlog.store.counts(f.agentlog.project.id)).toMatchObject({ messages: 0 });
      const text = await metrics();
      expect(text).toContain('agentlog_zeromq_frames_total{socket="pull",outcome="invalid"} 2');
      expect(text).toContain('agentlog_messages_ingested_total{transport="zeromq"} 3');
      expect(text).toContain('agentlog_messages_duplicate_total{transport="zeromq"} 1');
      expect(text).toContain('agentlog_messages_rejected_total{transport="zeromq"} 1');
      // The record is kept as received, beside the message it became.
      const session = (await f.agentlog.store.findSessions(agents.id, 'ctx'))[0]!;
      expect(session).toMatchObject({ source: 'api', status: 'active' });
    } finally {
      push.close();
      await f.close();
    }
  });

  it("records a broker's PUB traffic on the subscribed topics only", async () => {
    const pub = new Publisher({ linger: 0 });
    await pub.bind('tcp://127.0.0.1:*');
    const f = await listening(tempDir(), {
      zeromq: { pull: null, sub: [pub.lastEndpoint!], topics: ['agents.'] },
    });
    try {
      const { store } = f.agentlog;
      const projectId = f.agentlog.project.id;
      const record = (id: string) =>
        JSON.stringify({ Id: id, ContextId: 'a2a', Message: `hello ${id}`, SpeakerRole: 'agent' });
      // A subscription takes a moment to reach the publisher; resending is harmless (same id).
      await eventually(async () => {
        await pub.send(['agents.planner', record('first')]);
        return (await store.counts(projectId)).messages === 1;
      });
      await pub.send(['billing.invoices', record('other topic')]);
      await pub.send(`agents.coder ${record('second')}`);
      await eventually(async () => (await store.counts(projectId)).messages === 2);
      expect(await externalIds(store, projectId)).toEqual(['first', 'second']);
    } finally {
      await f.close();
      pub.close();
    }
  });

  it('refuses to start when the PULL endpoint is taken, naming it', async () => {
    const holder = new Push({ linger: 0 });
    await holder.bind('tcp://127.0.0.1:*');
    try {
      await expect(
        listening(tempDir(), { zeromq: { pull: holder.lastEndpoint!, sub: [], topics: [''] } }),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining(holder.lastEndpoint!),
      });
    } finally {
      holder.close();
    }
  });
});
