import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { Block } from '../../domain/blocks.ts';
import type { Message, MessageKind, Role } from '../../domain/message.ts';
import type {
  HistoryMessage,
  MessageRevision,
  MessageSearch,
  MessageSearchHit,
  MessageSpan,
  SpanRead,
} from '../ports.ts';
import { toMessage, type MessageRow } from './rows.ts';

/**
 * The reads of session memory (src/memory). A span is one session's own messages, all or up to a
 * message. `stored` spans belong to memory sessions and follow commit order (the message id),
 * served by the partial indexes of migration 008, which name the `memory` source; `conversation`
 * spans (imported sessions a memory session branched from) follow the time order every reader uses.
 */
const top = Number.MAX_SAFE_INTEGER;

/** The condition selecting a span; `m` prefixes columns (a table alias), `n` suffixes parameters. */
function spanWhere(order: MessageSpan['order'], m = '', n = ''): string {
  if (order === 'stored')
    return `${m}session_id = :session${n} AND ${m}source = 'memory' AND ${m}id <= :upTo${n} AND ${m}id < :before${n}`;
  const key = `(COALESCE(${m}timestamp, 0), ${m}seq, ${m}id)`;
  return `${m}session_id = :session${n} AND ${key} <= (:upToTime${n}, :upToSeq${n}, :upTo${n})
    AND ${key} < (:beforeTime${n}, :beforeSeq${n}, :before${n})`;
}
const notNote = `kind <> 'note'`;
const onlyNote = `kind = 'note'`;

type OrderKey = { time: number; seq: number; id: number };

/**
 * The columns of a history read: those of the window index of migration 008, so the read never
 * touches the table. `extra_blocks` is the index's expression, word for word: NULL when the
 * blocks are the text alone. Rows come back as arrays in this order (no object per row).
 */
const extraBlocks = `(CASE WHEN blocks = json_array(json_object('type', 'text', 'text', text)) THEN NULL ELSE blocks END)`;
const historyColumns = `id, session_id, external_id, role, kind, speaker_name, speaker_role, text, timestamp, seq, meta,
  ${extraBlocks} AS extra_blocks`;
type HistoryRow = [
  id: number,
  sessionId: string,
  externalId: string,
  role: string,
  kind: string,
  speakerName: string | null,
  speakerRole: string | null,
  text: string,
  timestamp: number | null,
  seq: number,
  meta: string,
  extraBlocks: string | null,
];

const emptyMeta = '{}';

function toHistoryMessage(row: HistoryRow): HistoryMessage {
  const [id, sessionId, externalId, role, kind, speakerName, speakerRole, text, timestamp, seq, meta, extra] =
    row;
  return {
    id,
    sessionId,
    externalId,
    role: role as Role,
    kind: kind as MessageKind,
    speaker: speakerName === null ? null : { name: speakerName, role: speakerRole ?? '' },
    text,
    blocks: extra === null ? [{ type: 'text', text }] : (JSON.parse(extra) as Block[]),
    timestamp,
    seq,
    meta: meta === emptyMeta ? {} : (JSON.parse(meta) as Record<string, unknown>),
  };
}

/**
 * The history reads, one statement per span order and note filter, written out once. A stored
 * span's two upper bounds (its fork point, the page's edge) are one bound, `:below`.
 */
function spanDescSql(order: MessageSpan['order'], notes: SpanRead['notes']): string {
  const kind = notes === 'only' ? onlyNote : notNote;
  if (order === 'stored')
    return `SELECT ${historyColumns} FROM messages
      WHERE session_id = :session AND source = 'memory' AND id < :below AND ${kind}
      ORDER BY id DESC LIMIT :limit`;
  return `SELECT ${historyColumns} FROM messages WHERE ${spanWhere(order)} AND ${kind}
    ORDER BY COALESCE(timestamp, 0) DESC, seq DESC, id DESC LIMIT :limit`;
}

/** Each word becomes a quoted FTS5 phrase, so user text is never read as query syntax. */
function ftsQuery(text: string): string | null {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  return words.length === 0 ? null : words.map((w) => `"${w.replaceAll('"', '""')}"`).join(' ');
}

export class MemoryQueries {
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private readonly spanReads = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  /** Prepared once per shape: the context window is read on a hot path. */
  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private orderKey(id: number): OrderKey | null {
    const row = this.statement(
      'SELECT COALESCE(timestamp, 0) AS time, seq, id FROM messages WHERE id = ?',
    ).get(id) as OrderKey | undefined;
    return row ?? null;
  }

  /** The bind values limiting a span (and a page of it) in the span's order. */
  private bounds(span: MessageSpan, before: number | undefined): Record<string, SQLInputValue> | null {
    const params: Record<string, SQLInputValue> = { session: span.sessionId, upTo: span.upTo ?? top };
    params.before = before ?? top;
    if (span.order === 'stored') return params;
    const upTo = span.upTo === null ? { time: top, seq: top, id: top } : this.orderKey(span.upTo);
    const below = before === undefined ? { time: top, seq: top, id: top } : this.orderKey(before);
    if (upTo === null || below === null) return null;
    return {
      ...params,
      upToTime: upTo.time,
      upToSeq: upTo.seq,
      upTo: upTo.id,
      beforeTime: below.time,
      beforeSeq: below.seq,
      before: below.id,
    };
  }

  spanDesc(span: MessageSpan, read: SpanRead): HistoryMessage[] {
    const statement = this.spanRead(span.order, read.notes);
    let rows: HistoryRow[];
    if (span.order === 'stored') {
      const upTo = span.upTo === null ? top : span.upTo + 1;
      const below = read.before === undefined ? upTo : Math.min(upTo, read.before);
      rows = statement.all({ session: span.sessionId, below, limit: read.limit }) as unknown as HistoryRow[];
    } else {
      const params = this.bounds(span, read.before);
      if (params === null) return [];
      params.limit = read.limit;
      rows = statement.all(params) as unknown as HistoryRow[];
    }
    const messages = new Array<HistoryMessage>(rows.length);
    for (let i = 0; i < rows.length; i++) messages[i] = toHistoryMessage(rows[i]!);
    return messages;
  }

  private spanRead(order: MessageSpan['order'], notes: SpanRead['notes']): StatementSync {
    const key = `${order}:${notes}`;
    let statement = this.spanReads.get(key);
    if (statement === undefined) {
      statement = this.db.prepare(spanDescSql(order, notes));
      statement.setReturnArrays(true);
      this.spanReads.set(key, statement);
    }
    return statement;
  }

  *spanAsc(span: MessageSpan): Iterable<Message> {
    const params = this.bounds(span, undefined);
    if (params === null) return;
    const order = span.order === 'stored' ? 'id' : 'COALESCE(timestamp, 0), seq, id';
    const sql = `SELECT * FROM messages WHERE ${spanWhere(span.order)} ORDER BY ${order}`;
    // A statement of its own: iterating keeps it busy while the caller may read other spans.
    for (const row of this.db.prepare(sql).iterate(params)) yield toMessage(row as MessageRow);
  }

  countSpan(span: MessageSpan): number {
    const params = this.bounds(span, undefined);
    if (params === null) return 0;
    const row = this.statement(
      `SELECT COUNT(*) AS n FROM messages WHERE ${spanWhere(span.order)} AND ${notNote}`,
    ).get(params) as {
      n: number;
    };
    return row.n;
  }

  getMessage(projectId: number, id: number): Message | null {
    const row = this.statement('SELECT * FROM messages WHERE id = ? AND project_id = ?').get(
      id,
      projectId,
    ) as MessageRow | undefined;
    return row === undefined ? null : toMessage(row);
  }

  findMessage(projectId: number, source: string, externalId: string): Message | null {
    const row = this.statement(
      'SELECT * FROM messages WHERE project_id = ? AND source = ? AND external_id = ?',
    ).get(projectId, source, externalId) as MessageRow | undefined;
    return row === undefined ? null : toMessage(row);
  }

  revisions(messageId: number): MessageRevision[] {
    const rows = this.statement(
      'SELECT revised_at, content_hash, text, blocks, meta FROM message_revisions WHERE message_id = ? ORDER BY id',
    ).all(messageId) as {
      revised_at: number;
      content_hash: string;
      text: string;
      blocks: string;
      meta: string;
    }[];
    return rows.map((row) => ({
      messageId,
      replacedAt: row.revised_at,
      contentHash: row.content_hash,
      text: row.text,
      blocks: JSON.parse(row.blocks) as Block[],
      meta: JSON.parse(row.meta) as Record<string, unknown>,
    }));
  }

  search(query: MessageSearch): MessageSearchHit[] {
    const fts = ftsQuery(query.text);
    if (fts === null) return [];
    const params: Record<string, SQLInputValue> = { fts, project: query.projectId, limit: query.limit };
    const within: string[] = [];
    for (const [i, span] of (query.spans ?? []).entries()) {
      const bounds = this.bounds(span, undefined);
      if (bounds === null) continue;
      for (const [name, value] of Object.entries(bounds)) params[`${name}${i}`] = value;
      within.push(`(${spanWhere(span.order, 'm.', String(i))})`);
    }
    if (query.spans !== undefined && within.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT m.*, snippet(messages_fts, 0, '[', ']', '…', 16) AS snippet
         FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
         WHERE messages_fts MATCH :fts AND m.project_id = :project
           ${within.length === 0 ? '' : `AND (${within.join(' OR ')})`}
         ORDER BY bm25(messages_fts), m.id LIMIT :limit`,
      )
      .all(params) as (MessageRow & { snippet: string })[];
    return rows.map((row) => ({ message: toMessage(row), snippet: row.snippet }));
  }
}
