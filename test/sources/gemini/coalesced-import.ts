import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { Ingestor, type RawOrigin } from '../../../src/ingest/ingestor.ts';
import { chunksOf, readLines, type Line } from '../../../src/ingest/line-reader.ts';
import type { ParsedRecord } from '../../../src/sources/source-format.ts';
import { GeminiChatParser } from '../../../src/sources/gemini/parse.ts';
import { geminiSource } from '../../../src/sources/gemini/schema.ts';
import { openAgentlog } from './imported-store.ts';

export type CoalescedRun = {
  /** Lines up to this one were stored by an earlier run: they are parsed again, not stored. */
  fromLine: number;
  /** How many lines are read together (coalesced, then committed in one batch). */
  groupLines: number;
  /** Off: every record is stored as it came, the reference for what the store must hold. */
  coalesce: boolean;
};

/**
 * Reads a Gemini chat the way an importer that coalesces does (groups of lines parsed, then
 * `GeminiChatParser.coalesce`, then every record to the Ingestor with its line), or, with
 * `coalesce` off, storing every record as it came. Returns how many records had a message.
 */
export async function importInGroups(dataDir: string, path: string, run: CoalescedRun): Promise<number> {
  const agentlog = await openAgentlog(dataDir);
  try {
    const parser = new GeminiChatParser(path);
    const ingestor = new Ingestor(agentlog.store, agentlog.project.id, geminiSource);
    let group: { record: ParsedRecord; origin: RawOrigin }[] = [];
    let lines = 0;
    let messages = 0;
    const commit = async (): Promise<void> => {
      const records = group.map((g) => g.record);
      const kept = run.coalesce ? parser.coalesce(records) : records;
      for (let i = 0; i < kept.length; i++) {
        ingestor.add(kept[i]!, group[i]!.origin);
        if (kept[i]!.message !== null) messages++;
      }
      group = [];
      lines = 0;
      await ingestor.flush();
    };
    const onLine = (line: Line): void => {
      if (line.bytes.byteLength === 0) return;
      const parsed = parser.parse(JSON.parse(line.bytes.toString('utf8')), line.line);
      if (line.line <= run.fromLine) return;
      // One origin per line, its bytes copied: the reader reuses its buffer.
      const origin = { bytes: Buffer.from(line.bytes), line: line.line, offset: line.offset };
      for (const record of Array.isArray(parsed) ? parsed : [parsed]) group.push({ record, origin });
      lines++;
    };
    const pending: Line[] = [];
    await readLines(
      chunksOf(path, 0),
      { offset: 0, lines: 0 },
      (line) => pending.push(copy(line)),
      async () => {
        for (const line of pending.splice(0)) {
          onLine(line);
          if (lines >= run.groupLines) await commit();
        }
      },
    );
    await commit();
    return messages;
  } finally {
    await agentlog.close();
  }
}

function copy(line: Line): Line {
  return { ...line, bytes: Buffer.from(line.bytes) };
}

/**
 * What a store holds of its gemini sessions, messages and everything hung on them, with row ids
 * replaced by natural keys (ids follow insertion order, which coalescing may change) and write
 * times left out. Revisions are left out on purpose: fewer of them is the point.
 */
export function storedState(dataDir: string): Record<string, unknown[]> {
  const db = new DatabaseSync(join(dataDir, 'agentlog.db'), { readOnly: true });
  try {
    const all = (sql: string) => db.prepare(sql).all();
    const byMessage = (table: string, columns: string) =>
      all(
        `SELECT m.external_id, ${columns} FROM ${table} t JOIN messages m ON m.id = t.message_id ORDER BY 1, 2, 3`,
      );
    return {
      sessions: all('SELECT * FROM sessions ORDER BY id'),
      models: all('SELECT * FROM session_models ORDER BY 1, 2'),
      messages: all(
        `SELECT project_id, session_id, source, external_id, parent_external_id, role, kind, speaker_name,
          speaker_role, text, blocks, model, response_id, input_tokens, output_tokens, cache_creation_tokens,
          cache_read_tokens, timestamp, seq, content_hash, raw_hash, meta FROM messages ORDER BY external_id`,
      ),
      search: all(
        `SELECT m.external_id, f.text FROM messages_fts f JOIN messages m ON m.id = f.rowid ORDER BY 1`,
      ),
      enrichments: byMessage('message_enrichments', 't.enricher, t.version, t.value, t.error'),
      labels: byMessage('message_labels', 't.facet, t.label, t.rank, t.session_id, t.timestamp'),
      terms: byMessage('message_terms', 't.term, t.count'),
      usage: all('SELECT * FROM usage ORDER BY dedup_key'),
      raw: all(
        'SELECT hash, record_type, session_id, line, byte_offset, data FROM raw_records ORDER BY line',
      ),
      blobs: all('SELECT sha256, media_type, size FROM blobs ORDER BY 1'),
    };
  } finally {
    db.close();
  }
}

/** How many old versions the store kept: what coalescing saves writing. */
export function revisionCount(dataDir: string): number {
  const db = new DatabaseSync(join(dataDir, 'agentlog.db'), { readOnly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM message_revisions').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
