import { describe, expect, it } from 'vitest';
import { createAgentlog } from '../../src/agentlog.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { MessageInput } from '../../src/domain/message.ts';
import { Ingestor, type RawOrigin } from '../../src/ingest/ingestor.ts';
import { UnchangedRecords } from '../../src/ingest/unchanged-records.ts';
import type { ParsedRecord } from '../../src/sources/source-format.ts';
import { batchMessage } from '../support/store-contract-kit.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

/** A revisable user message of `session` (the contract kit's, at one fixed time). */
const message = (id: string, session = 's1', extra: Partial<MessageInput> = {}): MessageInput =>
  batchMessage(id, 1_767_225_600_000, { sessionExternalId: session, revisable: true, ...extra });

const record = (m: MessageInput | null, session = 's1'): ParsedRecord => ({
  recordType: 'line',
  sessionExternalId: session,
  sessions: [],
  message: m,
  usage: null,
  images: [],
  problem: null,
});

const origin = (text: string): RawOrigin => ({ bytes: Buffer.from(text), line: 1, offset: 0 });

describe('UnchangedRecords', () => {
  it('finds a record unchanged only when its raw bytes and its message version are stored as they are', async () => {
    const dir = tempDir();
    const agentlog = await createAgentlog(loadConfig({ flags: { dataDir: dir }, env: {}, home: dir }));
    try {
      const { store, project } = agentlog;
      const ingestor = new Ingestor(store, project.id, 'test');
      ingestor.add(record(message('a')), origin('{"id":"a"}'));
      ingestor.add(record(message('b')), origin('{"id":"b"}'));
      ingestor.add(record(null), origin('{"header":1}'));
      await ingestor.flush();

      const judged = await new UnchangedRecords(store, project.id, 'test').judge([
        { record: record(message('a')), origin: origin('{"id":"a"}') },
        // Same bytes, another version of the message (a parser reading them otherwise now).
        { record: record(message('b', 's1', { contentHash: 'hash-b2' })), origin: origin('{"id":"b"}') },
        { record: record(null), origin: origin('{"header":1}') },
        { record: record(null), origin: origin('{"header":2}') },
        // A message first met in this document is stored by the whole path, whatever its bytes.
        { record: record(message('c')), origin: origin('{"id":"a"}') },
        // Stored in another session: writing it again would mark a fork.
        { record: record(message('a', 's2'), 's2'), origin: origin('{"id":"a"}') },
      ]);
      expect(judged).toEqual([true, false, true, false, false, false]);

      // A tool call answered in a later message is always prepared: the tools enricher must see
      // it to name the result's tool. One answered in its own message (Gemini) need not be.
      const call = { type: 'tool_use' as const, id: 'call-1', name: 'read_file', input: {} };
      const result = { type: 'tool_result' as const, toolUseId: 'call-1', content: 'ok', isError: false };
      const open = message('t1', 's1', { blocks: [call], contentHash: 'hash-t1' });
      const closed = message('t2', 's1', { blocks: [call, result], contentHash: 'hash-t2' });
      ingestor.add(record(open), origin('{"id":"t1"}'));
      ingestor.add(record(closed), origin('{"id":"t2"}'));
      await ingestor.flush();
      const calls = await new UnchangedRecords(store, project.id, 'test').judge([
        { record: record(open), origin: origin('{"id":"t1"}') },
        { record: record(closed), origin: origin('{"id":"t2"}') },
      ]);
      expect(calls).toEqual([false, true]);

      // A message id seen earlier in the same document: its earlier copy decides, so never skipped.
      const repeated = new UnchangedRecords(store, project.id, 'test');
      const copy = { record: record(message('a')), origin: origin('{"id":"a"}') };
      expect(await repeated.judge([copy, copy])).toEqual([true, false]);
      expect(await repeated.judge([copy])).toEqual([false]);
    } finally {
      await agentlog.close();
    }
  });
});
