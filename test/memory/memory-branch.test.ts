import { describe, expect, it } from 'vitest';
import { createAgentlog } from '../../src/agentlog.ts';
import { loadConfig } from '../../src/config/config.ts';
import { sessionIdFor } from '../../src/domain/ids.ts';
import type { SessionMemory } from '../../src/memory/index.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { codeOf, converse, memoryIn } from './memory-fixture.ts';

const tempDir = useTempDirs();

const contents = async (memory: SessionMemory, session: string) =>
  (await memory.recentMessages(session, { limit: 1000 })).messages.map((m) => m.content);

async function exported(memory: SessionMemory, session: string) {
  let text = '';
  for await (const chunk of await memory.exportSession(session, 'json')) text += chunk;
  return JSON.parse(text) as {
    session: { id: string; branchOf: unknown };
    pins: { content: string }[];
    messages: { content: string; archived: boolean }[];
  };
}

describe('branch', () => {
  it('shares the history up to the fork message and then goes its own way', async () => {
    const memory = await memoryIn(tempDir());
    try {
      const ids = await converse(memory, 'main', ['q1', 'a1', 'q2', 'a2']);
      const branch = await memory.branch('main', ids[1]!, { name: 'retry' });
      expect(branch).toMatchObject({ name: 'retry', source: 'memory', messageCount: 0 });
      expect(branch.branchOf).toEqual({ sessionId: (await memory.getSession('main')).id, messageId: ids[1] });
      await converse(memory, 'retry', ['q2 again']);
      await converse(memory, 'main', ['q3']);
      expect(await contents(memory, 'retry')).toEqual(['q1', 'a1', 'q2 again']);
      expect(await contents(memory, 'main')).toEqual(['q1', 'a1', 'q2', 'a2', 'q3']);
      const context = await memory.context('retry', { maxTokens: 1000 });
      expect(context).toMatchObject({ included: 3, omitted: 0 });
      if (context.format === 'text') expect(context.text).toBe('User: q1\nAssistant: a1\nUser: q2 again');
      // Complete and exportable on its own.
      const doc = await exported(memory, 'retry');
      expect(doc.messages.map((m) => m.content)).toEqual(['q1', 'a1', 'q2 again']);
      // Search sees the shared part, not what the parent said after the fork.
      expect((await memory.search({ session: 'retry' }, 'q1')).hits).toHaveLength(1);
      expect((await memory.search({ session: 'retry' }, 'a2')).hits).toHaveLength(0);
    } finally {
      await memory.close();
    }
  });

  it('branches a branch inside the history it shares', async () => {
    const memory = await memoryIn(tempDir());
    try {
      const ids = await converse(memory, 'root', ['r1', 'r2', 'r3']);
      await memory.branch('root', ids[2]!, { name: 'b1' });
      const own = await converse(memory, 'b1', ['b1-own', 'b1-more']);
      // From a message b1 shares with root: b1's own messages are not part of it.
      await memory.branch('b1', ids[1]!, { name: 'b2' });
      await converse(memory, 'b2', ['b2-own']);
      expect(await contents(memory, 'b2')).toEqual(['r1', 'r2', 'b2-own']);
      // From b1's own message: root's part up to r3, then b1 up to that message.
      await memory.branch('b1', own[0]!, { name: 'b3' });
      expect(await contents(memory, 'b3')).toEqual(['r1', 'r2', 'r3', 'b1-own']);
      const context = await memory.context('b3', { maxTokens: 1000, maxMessages: 2 });
      expect(context).toMatchObject({ included: 2, omitted: 2 });
      // A message after the fork point is not in a branch's history.
      const later = await converse(memory, 'root', ['r4']);
      expect(await codeOf(memory.branch('b1', later[0]!))).toBe('NOT_FOUND');
      expect(await codeOf(memory.branch('b2', own[1]!))).toBe('NOT_FOUND');
    } finally {
      await memory.close();
    }
  });

  it('is idempotent by name, refuses a name in use, and names one itself', async () => {
    const memory = await memoryIn(tempDir());
    try {
      const ids = await converse(memory, 'main', ['q1', 'a1']);
      const first = await memory.branch('main', ids[0]!, { name: 'x' });
      expect(await memory.branch('main', ids[0]!, { name: 'x' })).toEqual(first);
      expect(await codeOf(memory.branch('main', ids[1]!, { name: 'x' }))).toBe('CONFLICT');
      expect(await codeOf(memory.branch('main', ids[1]!, { name: 'main' }))).toBe('CONFLICT');
      expect(await codeOf(memory.branch('main', ids[1]!, { name: 'ses_x' }))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(memory.branch('nope', ids[1]!))).toBe('NOT_FOUND');
      expect(await codeOf(memory.branch('main', 123_456))).toBe('NOT_FOUND');
      const named = await memory.branch('main', ids[1]!);
      expect(named.name).toMatch(/^main~/);
      expect(await contents(memory, named.name)).toEqual(['q1', 'a1']);
    } finally {
      await memory.close();
    }
  });

  it('keeps the notes pinned to its parent when it was made', async () => {
    const memory = await memoryIn(tempDir());
    try {
      const ids = await converse(memory, 'main', ['q1', 'a1', 'q2']);
      await memory.pin('main', 'before');
      await memory.branch('main', ids[0]!, { name: 'b' });
      await memory.pin('main', 'after');
      await memory.pin('b', 'own');
      const pins = async (s: string) => (await memory.pins(s)).map((n) => n.content);
      expect(await pins('b')).toEqual(['before', 'own']);
      expect(await pins('main')).toEqual(['before', 'after']);
      const doc = await exported(memory, 'b');
      expect(doc.pins.map((p) => p.content)).toEqual(['before', 'own']);
      expect(doc.messages.map((m) => m.content)).toEqual(['q1']);
    } finally {
      await memory.close();
    }
  });

  it('shares stored messages: an edit through one is seen by both', async () => {
    const memory = await memoryIn(tempDir());
    try {
      const ids = await converse(memory, 'main', ['q1', 'a1']);
      await memory.branch('main', ids[1]!, { name: 'b' });
      await memory.editMessage(ids[0]!, 'q1 edited');
      expect(await contents(memory, 'b')).toEqual(['q1 edited', 'a1']);
      expect(await contents(memory, 'main')).toEqual(['q1 edited', 'a1']);
    } finally {
      await memory.close();
    }
  });

  it('branches from an imported session, which itself stays read-only', async () => {
    const dir = tempDir();
    const agentlog = await createAgentlog(loadConfig({ flags: { dataDir: dir }, env: {}, home: dir }));
    const message = (externalId: string, role: 'user' | 'assistant', text: string, timestamp: number) => ({
      source: 'test',
      sessionExternalId: 'imp',
      externalId,
      parentExternalId: null,
      role,
      kind: 'message' as const,
      speaker: null,
      blocks: [{ type: 'text' as const, text }],
      text,
      model: null,
      usage: null,
      responseId: null,
      // Written out of time order: the imported session is read in its conversation order.
      timestamp,
      seq: 0,
      contentHash: externalId,
      meta: {},
      rawHash: null,
    });
    await agentlog.store.write({
      projectId: agentlog.project.id,
      sessions: [{ source: 'test', externalId: 'imp', timestamp: 1000 }],
      raw: [],
      messages: [
        message('i3', 'user', 'third', 3000),
        message('i1', 'user', 'first', 1000),
        message('i2', 'assistant', 'second', 2000),
      ],
      usage: [],
      blobs: [],
      fileStates: [],
    });
    const imported = sessionIdFor(agentlog.project.id, 'test', 'imp');
    await agentlog.close();
    const memory = await memoryIn(dir);
    try {
      expect(await contents(memory, imported)).toEqual(['first', 'second', 'third']);
      expect(await codeOf(memory.addMessage(imported, { role: 'user', content: 'x' }))).toBe('CONFLICT');
      expect(await codeOf(memory.pin(imported, 'x'))).toBe('CONFLICT');
      const second = (await memory.search('project', 'second')).hits[0]!.message;
      expect(await codeOf(memory.editMessage(second.id, 'x'))).toBe('CONFLICT');
      await memory.branch(imported, second.id, { name: 'continued' });
      await memory.addMessage('continued', { role: 'user', content: 'fourth' });
      expect(await contents(memory, 'continued')).toEqual(['first', 'second', 'fourth']);
      const context = await memory.context('continued', { maxTokens: 1000 });
      expect(context).toMatchObject({ included: 3, omitted: 0 });
    } finally {
      await memory.close();
    }
  });
});

describe('retention', () => {
  it('keeps the last N in the hot window and archives the rest, never losing them', async () => {
    const memory = await memoryIn(tempDir());
    try {
      const texts = Array.from({ length: 60 }, (_, i) => `m${i}`);
      await converse(memory, 'r', texts);
      const session = await memory.setRetention('r', { keepLast: 50 });
      expect(session.retention).toEqual({ keepLast: 50 });
      expect(await contents(memory, 'r')).toEqual(texts.slice(10));
      const context = await memory.context('r', { maxTokens: 100_000 });
      expect(context).toMatchObject({ included: 50, omitted: 10, archived: 10 });
      const small = await memory.context('r', { maxTokens: 100_000, maxMessages: 20 });
      expect(small).toMatchObject({ included: 20, omitted: 40, archived: 10 });
      // Archived messages are still stored: exported (marked) and found.
      const doc = await exported(memory, 'r');
      expect(doc.messages.map((m) => m.content)).toEqual(texts);
      expect(doc.messages.filter((m) => m.archived).map((m) => m.content)).toEqual(texts.slice(0, 10));
      expect((await memory.search({ session: 'r' }, 'm3')).hits).toHaveLength(1);
      let markdown = '';
      for await (const chunk of await memory.exportSession('r', 'markdown')) markdown += chunk;
      expect(markdown).toContain('the last 50 messages (10 archived)');
      expect(markdown.indexOf('m9\n')).toBeLessThan(markdown.indexOf('are archived'));
      expect(markdown.indexOf('are archived')).toBeLessThan(markdown.indexOf('m10\n'));
      // Back to everything.
      await memory.setRetention('r', { keepLast: null });
      expect(await contents(memory, 'r')).toEqual(texts);
      expect((await memory.getSession('r')).retention).toEqual({ keepLast: null });
    } finally {
      await memory.close();
    }
  });

  it('counts a branch’s shared history in its window', async () => {
    const memory = await memoryIn(tempDir());
    try {
      const ids = await converse(memory, 'main', ['a', 'b', 'c', 'd']);
      await memory.branch('main', ids[3]!, { name: 'b' });
      await converse(memory, 'b', ['e', 'f']);
      await memory.setRetention('b', { keepLast: 3 });
      expect(await contents(memory, 'b')).toEqual(['d', 'e', 'f']);
      expect(await memory.context('b', { maxTokens: 1000 })).toMatchObject({ included: 3, archived: 3 });
      expect(await contents(memory, 'main')).toEqual(['a', 'b', 'c', 'd']);
    } finally {
      await memory.close();
    }
  });

  it('refuses bad policies and unknown sessions', async () => {
    const memory = await memoryIn(tempDir());
    try {
      await converse(memory, 'r', ['x']);
      expect(await codeOf(memory.setRetention('r', { keepLast: 0 }))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(memory.setRetention('nope', { keepLast: 5 }))).toBe('NOT_FOUND');
    } finally {
      await memory.close();
    }
  });
});
