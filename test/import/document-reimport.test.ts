import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentlog, type Agentlog } from '../../src/agentlog.ts';
import { loadConfig } from '../../src/config/config.ts';
import { sessionIdFor } from '../../src/domain/ids.ts';
import { contentHashEnricher } from '../../src/enrich/content-hash.ts';
import { ingestEnrichers } from '../../src/enrich/enrichers.ts';
import { defaultPipelineSettings, IngestPipeline } from '../../src/enrich/ingest-pipeline.ts';
import { importFile } from '../../src/ingest/import-file.ts';
import { importRun } from '../../src/ingest/import-run.ts';
import { gemini } from '../../src/sources/gemini/index.ts';
import { freshPgSchema } from '../storage/postgres/pg-test-schema.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import {
  chatMessage,
  chatText,
  legacyChat,
  legacyChatPath,
  legacySessionId,
  messageId,
  type LegacyChat,
} from './legacy-chat.ts';

const tempDir = useTempDirs();

/** A real pipeline whose content-hash enricher counts the messages it is run on (all that are prepared). */
function countingPipeline(): { pipeline: IngestPipeline; prepared: () => number } {
  let calls = 0;
  const counted = {
    ...contentHashEnricher,
    enrich: (context: Parameters<typeof contentHashEnricher.enrich>[0]) => {
      calls++;
      return contentHashEnricher.enrich(context);
    },
  };
  const enrichers = ingestEnrichers().map((e) => (e.name === 'hash' ? counted : e));
  return { pipeline: new IngestPipeline(defaultPipelineSettings, enrichers), prepared: () => calls };
}

const dropSchemas: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const drop of dropSchemas.splice(0)) await drop();
});

type Backend = 'sqlite' | 'postgres';

/** An empty store: an embedded SQLite file, or a fresh schema of the test PostgreSQL server. */
async function openStore(backend: Backend): Promise<Agentlog> {
  const dir = tempDir();
  if (backend === 'sqlite')
    return createAgentlog(loadConfig({ flags: { dataDir: dir }, env: {}, home: dir }));
  const target = await freshPgSchema();
  dropSchemas.push(target.drop);
  const env = { AGENTLOG_DATABASE_URL: target.url, AGENTLOG_DATABASE_SCHEMA: target.schema };
  return createAgentlog(loadConfig({ flags: { dataDir: dir }, env, home: dir }));
}

async function importChat(agentlog: Agentlog, file: string, pipeline?: IngestPipeline) {
  const outcome = await importFile({
    store: agentlog.store,
    projectId: agentlog.project.id,
    format: gemini,
    path: file,
    ...(pipeline ? { pipeline } : {}),
  });
  if (outcome.status !== 'imported') throw new Error(JSON.stringify(outcome));
  return outcome;
}

/** Everything the store holds of the chat, keyed by what does not depend on the order of writes. */
async function storedChat(agentlog: Agentlog) {
  const { store, project } = agentlog;
  const session = await store.getSession(sessionIdFor(project.id, 'gemini', legacySessionId));
  const messages = [];
  for await (const m of store.messages(session!.id)) messages.push(m);
  const enrichments = await store.enrichments(messages.map((m) => m.id));
  return {
    session,
    messages: messages.map(({ id, ...m }) => ({
      ...m,
      enrichment: (enrichments.get(id) ?? []).map(({ enrichedAt: _, ...e }) => e),
    })),
    usage: await store.usage({ projectId: project.id, groupBy: 'session' }),
  };
}

const rawHash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
const { messages: _, ...header } = legacyChat(0, 0);

/** The raw records a fresh import of `chat` stores: its header and each message. */
const rawsOf = (chat: LegacyChat) => [{ ...header, lastUpdated: chat.lastUpdated }, ...chat.messages];

describe.each(['sqlite', 'postgres'] as const)('re-importing a rewritten document (%s)', (backend) => {
  const count = 40;
  // Message 40 is a tool call still running; the next rewrite fills in its result and adds one.
  const before = legacyChat(count, 600, true);
  // One message carries a token the redactor rewrites: its raw is stored redacted, never found
  // by its own bytes, so it is prepared on every import (as before this optimisation).
  before.messages[4]!.content = `use ghp_${'a1B2c3D4e5'.repeat(3)}123456 for the API`;
  const after: LegacyChat = {
    ...before,
    lastUpdated: new Date(Date.parse(before.lastUpdated) + 5000).toISOString(),
    messages: [...before.messages.slice(0, count - 1), chatMessage(count, 600), chatMessage(count + 1, 600)],
  };

  it('stores what a fresh import of the final file stores, revising the changed message', async () => {
    const root = tempDir();
    const file = legacyChatPath(root);
    const live = await openStore(backend);
    const fresh = await openStore(backend);
    try {
      expect(live.store.constructor.name).toBe(backend === 'sqlite' ? 'SqliteStore' : 'PgStore');
      writeFileSync(file, chatText(before));
      expect(await importChat(live, file)).toMatchObject({ messages: count, newMessages: count });
      writeFileSync(file, chatText(after));
      expect(await importChat(live, file)).toMatchObject({ messages: count + 1, newMessages: 1 });
      await importChat(fresh, file);

      const reimported = await storedChat(live);
      expect(reimported).toEqual(await storedChat(fresh));
      expect(reimported.messages).toHaveLength(count + 1);
      expect(reimported.messages[4]!.text).toContain('[REDACTED');
      const call = reimported.messages[count - 1]!;
      expect(call.blocks.map((b) => b.type)).toEqual(['thinking', 'tool_use', 'tool_result']);
      const stored = await live.store.findMessage(live.project.id, 'gemini', messageId(count));
      const revisions = await live.store.messageRevisions(stored!.id);
      expect(revisions).toHaveLength(1);
      expect(revisions[0]!.blocks.map((b) => b.type)).toEqual(['thinking', 'tool_use']);

      // Every raw record of the final file is stored; the first versions of the rewritten
      // header and tool call stay beside them. The redacted one is stored under another hash.
      for (const [i, raw] of rawsOf(after).entries()) {
        const found = await live.store.rawRecord(live.project.id, 'gemini', rawHash(raw));
        expect(found !== null, `raw record ${i}`).toBe(i !== 5);
      }
      for (const raw of [rawsOf(before)[0], before.messages[count - 1]])
        expect(await live.store.rawRecord(live.project.id, 'gemini', rawHash(raw))).not.toBeNull();
      const freshCounts = await fresh.store.counts(fresh.project.id);
      expect(await live.store.counts(live.project.id)).toEqual({
        ...freshCounts,
        rawRecords: freshCounts.rawRecords + 2,
      });
    } finally {
      await live.close();
      await fresh.close();
    }
  });

  it('prepares only the new, the changed and the redacted messages again', async () => {
    const root = tempDir();
    const file = legacyChatPath(root);
    const agentlog = await openStore(backend);
    try {
      writeFileSync(file, chatText(before));
      const first = countingPipeline();
      await importChat(agentlog, file, first.pipeline);
      expect(first.prepared()).toBe(count);

      writeFileSync(file, chatText(after));
      const again = countingPipeline();
      await importChat(agentlog, file, again.pipeline);
      expect(again.prepared()).toBe(3);

      // Raw bytes changed, message the same (a field the parser does not read): the new raw is
      // stored, the message stays as it was.
      const extra = { ...after.messages[9]!, ui: { collapsed: true } };
      writeFileSync(
        file,
        chatText({ ...after, messages: after.messages.map((m, i) => (i === 9 ? extra : m)) }),
      );
      const third = countingPipeline();
      const outcome = await importChat(agentlog, file, third.pipeline);
      expect(outcome).toMatchObject({ messages: count + 1, newMessages: 0 });
      expect(third.prepared()).toBe(2);
      expect(await agentlog.store.rawRecord(agentlog.project.id, 'gemini', rawHash(extra))).not.toBeNull();
      const m = await agentlog.store.findMessage(agentlog.project.id, 'gemini', messageId(10));
      expect(await agentlog.store.messageRevisions(m!.id)).toEqual([]);
    } finally {
      await agentlog.close();
    }
  });
});

describe('re-importing rewritten documents on import worker threads', () => {
  it('asks the store through the pool and stores what one thread stores', async () => {
    const root = tempDir();
    const file = legacyChatPath(root);
    const other = join(dirname(file), 'session-2026-01-05T10-00-0e55a000.json');
    // Another session, its own message ids.
    const otherChat = (count: number) => {
      const chat = legacyChat(count, 300);
      chat.sessionId = '0e55a000-0000-4000-8000-0000000000bb';
      for (const m of chat.messages) m.id = String(m.id).replace('c0000000', 'd0000000');
      return chat;
    };
    const run = (agentlog: Agentlog, workers: boolean) =>
      importRun({
        store: agentlog.store,
        projectId: agentlog.project.id,
        format: gemini,
        paths: [root],
        defaultRoots: [],
        ...(workers ? { workers: { count: 2, minBytes: 0 } } : {}),
      });
    const pooled = await openStore('sqlite');
    const single = await openStore('sqlite');
    try {
      writeFileSync(file, chatText(legacyChat(20, 300, true)));
      writeFileSync(other, chatText(otherChat(12)));
      expect(await run(pooled, true)).toMatchObject({ files: 2, newMessages: 32 });
      // Both rewritten, so both go to the workers again.
      writeFileSync(file, chatText(legacyChat(21, 300)));
      writeFileSync(other, chatText(otherChat(13)));
      expect(await run(pooled, true)).toMatchObject({ filesUnchanged: 0, messages: 34, newMessages: 2 });
      await run(single, false);
      expect(await storedChat(pooled)).toEqual(await storedChat(single));
      expect(await pooled.store.counts(pooled.project.id)).toEqual({
        ...(await single.store.counts(single.project.id)),
        // The first versions of both headers and of the tool call stay beside the final ones.
        rawRecords: (await single.store.counts(single.project.id)).rawRecords + 3,
      });
    } finally {
      await pooled.close();
      await single.close();
    }
  });
});
