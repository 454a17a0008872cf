import type pg from 'pg';
import type { Message } from '../../domain/message.ts';
import type { HistoryMessage, MessageSearch, MessageSearchHit, MessageSpan, SpanRead } from '../ports.ts';
import { messageColumns, toMessage, type MessageRow } from './pg-rows.ts';
import { toTsQuery } from './pg-text-query.ts';
import { pgQueries, type PgTx } from './pg-tx.ts';

/**
 * The reads of session memory (src/memory), as SQLite's memory-queries.ts: a span is one
 * session's own messages, all or up to a message; `stored` spans (memory sessions) follow commit
 * order (the id), `conversation` spans time order. Served by migration 004's partial index.
 */
const top = Number.MAX_SAFE_INTEGER;
const pageSize = 500;

type OrderKey = { time: number; seq: number; id: number };
type Bounds = Record<string, unknown>;

/** The condition selecting a span; `m` prefixes columns (a table alias), `n` suffixes parameters. */
function spanWhere(order: MessageSpan['order'], m = '', n = ''): string {
  if (order === 'stored')
    return `${m}session_id = :session${n} AND ${m}source = 'memory' AND ${m}id <= :upTo${n} AND ${m}id < :before${n}`;
  const key = `(COALESCE(${m}timestamp, 0), ${m}seq, ${m}id)`;
  return `${m}session_id = :session${n} AND ${key} <= (:upToTime${n}::bigint, :upToSeq${n}::bigint, :upTo${n}::bigint)
    AND ${key} < (:beforeTime${n}::bigint, :beforeSeq${n}::bigint, :before${n}::bigint)`;
}
const notNote = `kind <> 'note'`;
const onlyNote = `kind = 'note'`;

const historyColumns =
  'id, session_id, external_id, role, kind, speaker_name, speaker_role, text, blocks, timestamp, seq, meta';

const toHistory = (row: MessageRow): HistoryMessage => {
  const { id, sessionId, externalId, role, kind, speaker, text, blocks, timestamp, seq, meta } =
    toMessage(row);
  return { id, sessionId, externalId, role, kind, speaker, text, blocks, timestamp, seq, meta };
};

export class PgMemoryQueries {
  private readonly db: PgTx;

  constructor(pool: pg.Pool) {
    this.db = pgQueries(pool);
  }

  private async orderKey(id: number): Promise<OrderKey | null> {
    const [row] = await this.db.q<OrderKey>(
      'SELECT COALESCE(timestamp, 0) AS time, seq, id FROM messages WHERE id = :id',
      { id },
    );
    return row ?? null;
  }

  /** The parameters limiting a span (and a page of it) in the span's order; null: a bound is gone. */
  private async bounds(span: MessageSpan, before: number | undefined, n = ''): Promise<Bounds | null> {
    const base = { session: span.sessionId, upTo: span.upTo ?? top, before: before ?? top };
    let values: Bounds = base;
    if (span.order === 'conversation') {
      const upTo = span.upTo === null ? { time: top, seq: top, id: top } : await this.orderKey(span.upTo);
      const below = before === undefined ? { time: top, seq: top, id: top } : await this.orderKey(before);
      if (upTo === null || below === null) return null;
      values = {
        session: span.sessionId,
        upToTime: upTo.time,
        upToSeq: upTo.seq,
        upTo: upTo.id,
        beforeTime: below.time,
        beforeSeq: below.seq,
        before: below.id,
      };
    }
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${k}${n}`, v]));
  }

  async spanDesc(span: MessageSpan, read: SpanRead): Promise<HistoryMessage[]> {
    const params = await this.bounds(span, read.before);
    if (params === null) return [];
    const order = span.order === 'stored' ? 'id DESC' : 'COALESCE(timestamp, 0) DESC, seq DESC, id DESC';
    const rows = await this.db.q<MessageRow>(
      `SELECT ${historyColumns} FROM messages WHERE ${spanWhere(span.order)}
         AND ${read.notes === 'only' ? onlyNote : notNote}
       ORDER BY ${order} LIMIT :limit`,
      { ...params, limit: read.limit },
    );
    return rows.map(toHistory);
  }

  /** Pages by the span's order key, so a long span streams with flat memory. */
  async *spanAsc(span: MessageSpan): AsyncIterable<Message> {
    const params = await this.bounds(span, undefined);
    if (params === null) return;
    const stored = span.order === 'stored';
    const key = stored ? 'id' : '(COALESCE(timestamp, 0), seq, id)';
    let after: OrderKey = { time: -top, seq: -top, id: 0 };
    for (;;) {
      const rows = await this.db.q<MessageRow & { time: number }>(
        `SELECT ${messageColumns()}, COALESCE(timestamp, 0) AS time FROM messages WHERE ${spanWhere(span.order)}
           AND ${key} > ${stored ? ':afterId' : '(:afterTime::bigint, :afterSeq::bigint, :afterId::bigint)'}
         ORDER BY ${stored ? 'id' : 'COALESCE(timestamp, 0), seq, id'} LIMIT ${pageSize}`,
        { ...params, afterTime: after.time, afterSeq: after.seq, afterId: after.id },
      );
      for (const row of rows) yield toMessage(row);
      const last = rows.at(-1);
      if (last === undefined || rows.length < pageSize) return;
      after = { time: last.time, seq: last.seq, id: last.id };
    }
  }

  async countSpan(span: MessageSpan): Promise<number> {
    const params = await this.bounds(span, undefined);
    if (params === null) return 0;
    const [row] = await this.db.q<{ n: number }>(
      `SELECT COUNT(*) AS n FROM messages WHERE ${spanWhere(span.order)} AND ${notNote}`,
      params,
    );
    return row?.n ?? 0;
  }

  async search(query: MessageSearch): Promise<MessageSearchHit[]> {
    const tsquery = toTsQuery(query.text, { prefixes: false });
    if (tsquery === null) return [];
    const params: Record<string, unknown> = { q: tsquery, project: query.projectId, limit: query.limit };
    const within: string[] = [];
    for (const [i, span] of (query.spans ?? []).entries()) {
      const bounds = await this.bounds(span, undefined, String(i));
      if (bounds === null) continue;
      Object.assign(params, bounds);
      within.push(`(${spanWhere(span.order, 'm.', String(i))})`);
    }
    if (query.spans !== undefined && within.length === 0) return [];
    const rows = await this.db.q<MessageRow & { snippet: string }>(
      `SELECT ${messageColumns('m')}, ts_headline('simple', m.text, q,
           'StartSel=[, StopSel=], MaxWords=16, MinWords=4, ShortWord=0, MaxFragments=1, FragmentDelimiter=…') AS snippet
       FROM messages m, to_tsquery('simple', :q) AS q
       WHERE m.tsv @@ q AND m.project_id = :project ${within.length === 0 ? '' : `AND (${within.join(' OR ')})`}
       ORDER BY ts_rank(m.tsv, q) DESC, m.id LIMIT :limit`,
      params,
    );
    return rows.map((row) => ({ message: toMessage(row), snippet: row.snippet }));
  }
}
