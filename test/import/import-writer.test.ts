import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportWriter } from '../../src/ingest/import-writer.ts';
import { WriteBehind } from '../../src/ingest/write-behind.ts';
import type { WriteBatch } from '../../src/storage/ports.ts';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { useTempDirs } from '../support/temp-dir.ts';

// The import pool's writer merges batches into shared transactions; each batch must still get its
// own counts, keep its order, and never be written after an earlier one failed.
const tempDir = useTempDirs();
const source = 'claude-code';

function batch(projectId: number, session: string, ids: string[]): WriteBatch {
  return {
    projectId,
    sessions: [{ source, externalId: session }],
    raw: [],
    messages: ids.map((id, i) => ({
      source,
      sessionExternalId: session,
      externalId: id,
      parentExternalId: null,
      role: 'user',
      kind: 'message',
      speaker: null,
      blocks: [{ type: 'text', text: `message ${id}` }],
      text: `message ${id}`,
      model: null,
      usage: null,
      responseId: null,
      timestamp: 1_700_000_000_000 + i,
      seq: i + 1,
      contentHash: `hash-${id}`,
      meta: {},
      rawHash: null,
    })),
    usage: [],
    blobs: [],
    fileStates: [],
  };
}

async function open() {
  const store = new SqliteStore(join(tempDir(), 'agentlog.db'));
  const project = await store.ensureProject('default');
  return { store, projectId: project.id };
}

describe('ImportWriter', () => {
  it('writes batches queued together in one transaction, each with its own counts', async () => {
    const { store, projectId } = await open();
    try {
      const writer = new ImportWriter(store, { groupBytes: 1 << 30, maxDelayMs: 5 });
      const results = await Promise.all([
        writer.write(batch(projectId, 's1', ['a', 'b'])),
        writer.write(batch(projectId, 's2', ['c', 'a'])),
        writer.write(batch(projectId, 's1', ['d'])),
      ]);
      expect(results.map((r) => [r.newMessages, r.duplicateMessages])).toEqual([
        [2, 0],
        [1, 1],
        [1, 0],
      ]);
      expect(results[1]!.messageStatus).toEqual(['new', 'duplicate']);
      expect((await store.counts(projectId)).messages).toBe(4);
    } finally {
      await store.close();
    }
  });

  it('writes nothing after a failed write, and reports that failure to every later batch', async () => {
    const { store, projectId } = await open();
    try {
      const writer = new ImportWriter(store, { groupBytes: 1 << 30, maxDelayMs: 5 });
      // A project that does not exist breaks the sessions' foreign key: the write fails.
      const outcomes = await Promise.allSettled([
        writer.write(batch(projectId, 's1', ['a'])),
        writer.write(batch(projectId + 1000, 's2', ['b'])),
        writer.write(batch(projectId, 's1', ['c'])),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
      await expect(writer.write(batch(projectId, 's3', ['d']))).rejects.toThrow();
      expect((await store.counts(projectId)).messages).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('when a shared transaction fails, writes its batches one by one up to the one at fault', async () => {
    const { store, projectId } = await open();
    try {
      const writer = new ImportWriter(store, { groupBytes: 1 << 30, maxDelayMs: 5 });
      const bad = batch(projectId, 's2', ['b']);
      // A raw record without its type breaks a NOT NULL column, in the same project as the others.
      bad.raw.push({
        source,
        hash: 'f'.repeat(64),
        recordType: null as unknown as string,
        sessionExternalId: 's2',
        line: 1,
        byteOffset: 0,
        data: new Uint8Array(8),
      });
      const outcomes = await Promise.allSettled([
        writer.write(batch(projectId, 's1', ['a'])),
        writer.write(bad),
        writer.write(batch(projectId, 's1', ['c'])),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
      expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/NOT NULL/);
      expect((await store.counts(projectId)).messages).toBe(1);
    } finally {
      await store.close();
    }
  });
});

describe('WriteBehind', () => {
  it('returns before the commit, and a file settles with the new messages its commits reported', async () => {
    const { store, projectId } = await open();
    try {
      const writer = new ImportWriter(store, { groupBytes: 1 << 30, maxDelayMs: 5 });
      const behind = new WriteBehind((b) => writer.write(b), 1 << 20);
      const file = behind.file();
      const early = await file.write(batch(projectId, 's1', ['a', 'b']));
      expect(early.newMessages).toBe(0);
      expect((await store.counts(projectId)).messages).toBe(0);
      await file.write(batch(projectId, 's1', ['b', 'c']));
      expect(await file.settled()).toBe(3);
      expect((await store.counts(projectId)).messages).toBe(3);
    } finally {
      await store.close();
    }
  });

  it('fails a file whose write failed, at its next write and when it settles', async () => {
    const { store, projectId } = await open();
    try {
      const writer = new ImportWriter(store, { groupBytes: 1 << 30, maxDelayMs: 5 });
      // A budget of one byte: every write waits for the one before it to commit.
      const behind = new WriteBehind((b) => writer.write(b), 1);
      const file = behind.file();
      await file.write(batch(projectId + 1000, 's1', ['a']));
      await expect(file.write(batch(projectId, 's1', ['b']))).rejects.toThrow(/FOREIGN KEY/);
      await expect(file.settled()).rejects.toThrow(/FOREIGN KEY/);
      expect((await store.counts(projectId)).messages).toBe(0);
    } finally {
      await store.close();
    }
  });
});
