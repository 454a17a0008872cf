import type { DatabaseSync } from 'node:sqlite';

/**
 * The report aggregates of migration 006, kept exact without costing the write path:
 *
 * - Rows added since an aggregate's read mark are counted in when a report asks (`catchUpStats`),
 *   a chunk per transaction.
 * - Changes to rows already counted are taken out where they happen: UPDATE triggers (message
 *   authors, usage rows), DELETE triggers (usage rows), `StatsKeeper` where enrichment replaces a
 *   message's labels or terms, `forgetMessages` where retention deletes messages.
 * - After rows are deleted, a mark above the table's newest rowid comes down to it, so rowids
 *   SQLite hands out again are read as new.
 */

const dayMs = 86_400_000;
const dayOf = (column: string) => `COALESCE((${column} / ${dayMs}) * ${dayMs}, -1)`;

/** Read mark names (project 0: ids are shared by all projects). `stats` is named in migration 006. */
export const statMarks = {
  messages: 'stats',
  usage: 'stats.usage',
  labels: 'stats.labels',
  terms: 'stats.terms',
} as const;

type Aggregate = { mark: string; table: string; chunk: number; add: string[] };

const aggregates: Aggregate[] = [
  {
    mark: statMarks.messages,
    table: 'messages',
    chunk: 50_000,
    add: [
      `INSERT INTO message_stats (project_id, day, source, role, kind, speaker, model, messages)
       SELECT project_id, ${dayOf('timestamp')}, source, role, kind, COALESCE(speaker_name, ''), COALESCE(model, ''), COUNT(*)
       FROM messages WHERE rowid > ?1 AND rowid <= ?2 GROUP BY 1, 2, 3, 4, 5, 6, 7
       ON CONFLICT DO UPDATE SET messages = messages + excluded.messages`,
    ],
  },
  {
    mark: statMarks.usage,
    table: 'usage',
    chunk: 100_000,
    add: [
      `INSERT INTO usage_stats (project_id, day, source, model, input_tokens, output_tokens, cache_creation_tokens,
         cache_read_tokens, responses)
       SELECT project_id, (timestamp / ${dayMs}) * ${dayMs}, source, COALESCE(model, ''), SUM(input_tokens),
         SUM(output_tokens), SUM(cache_creation_tokens), SUM(cache_read_tokens), COUNT(*)
       FROM usage WHERE rowid > ?1 AND rowid <= ?2 GROUP BY 1, 2, 3, 4
       ON CONFLICT DO UPDATE SET input_tokens = input_tokens + excluded.input_tokens,
         output_tokens = output_tokens + excluded.output_tokens,
         cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens,
         cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, responses = responses + excluded.responses`,
    ],
  },
  {
    mark: statMarks.labels,
    table: 'message_labels',
    chunk: 200_000,
    add: [
      `INSERT INTO label_stats (project_id, facet, day, label, messages)
       SELECT project_id, facet, ${dayOf('timestamp')}, label, COUNT(*)
       FROM message_labels WHERE rowid > ?1 AND rowid <= ?2 GROUP BY 1, 2, 3, 4
       ON CONFLICT DO UPDATE SET messages = messages + excluded.messages`,
    ],
  },
  {
    mark: statMarks.terms,
    table: 'message_terms',
    chunk: 200_000,
    add: [
      `INSERT INTO term_days (project_id, day, term, count)
       SELECT m.project_id, ${dayOf('m.timestamp')}, t.term, SUM(t.count)
       FROM message_terms t JOIN messages m ON m.id = t.message_id
       WHERE t.rowid > ?1 AND t.rowid <= ?2 GROUP BY 1, 2, 3
       ON CONFLICT DO UPDATE SET count = count + excluded.count`,
      `INSERT INTO term_totals (project_id, term, count)
       SELECT m.project_id, t.term, SUM(t.count)
       FROM message_terms t JOIN messages m ON m.id = t.message_id
       WHERE t.rowid > ?1 AND t.rowid <= ?2 GROUP BY 1, 2
       ON CONFLICT DO UPDATE SET count = count + excluded.count`,
    ],
  },
];

function readMark(db: DatabaseSync, name: string): number {
  const row = db.prepare('SELECT last_id FROM read_marks WHERE name = ? AND project_id = 0').get(name) as
    { last_id: number } | undefined;
  return row?.last_id ?? 0;
}

export type StatsTable = 'messages' | 'usage' | 'labels' | 'terms';

/** Counts in what was stored since the last report, for the aggregates named (default: all). */
export function catchUpStats(db: DatabaseSync, only?: readonly StatsTable[]): void {
  const wanted = only?.map((t) => statMarks[t]);
  for (const a of aggregates) {
    if (wanted !== undefined && !wanted.includes(a.mark as (typeof statMarks)[StatsTable])) continue;
    catchUp(db, a);
  }
}

function catchUp(db: DatabaseSync, a: Aggregate): void {
  const newest = db.prepare(`SELECT COALESCE(MAX(rowid), 0) AS n FROM ${a.table}`);
  const statements = a.add.map((sql) => db.prepare(sql));
  const setMark = db.prepare(
    `INSERT INTO read_marks (name, project_id, last_id) VALUES (?, 0, ?)
     ON CONFLICT DO UPDATE SET last_id = excluded.last_id`,
  );
  for (;;) {
    const max = (newest.get() as { n: number }).n;
    if (readMark(db, a.mark) >= max) return;
    db.exec('BEGIN IMMEDIATE');
    try {
      // Read again inside the transaction: another process may have caught up meanwhile.
      const from = readMark(db, a.mark);
      const to = Math.min(from + a.chunk, max);
      if (to > from) {
        for (const s of statements) s.run(from, to);
        setMark.run(a.mark, to);
      }
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }
}

/** After rows of `table` were deleted: a mark above its newest rowid comes down to it. */
export function lowerMark(db: DatabaseSync, table: string, names: readonly string[]): void {
  const newest = (db.prepare(`SELECT COALESCE(MAX(rowid), 0) AS n FROM ${table}`).get() as { n: number }).n;
  db.prepare(
    `UPDATE read_marks SET last_id = ? WHERE name IN (${names.map(() => '?').join(',')}) AND last_id > ?`,
  ).run(newest, ...names, newest);
}

/**
 * Where enrichment replaces a stored message's labels or terms (a revision, `agentlog enrich`):
 * takes the counted ones out of the aggregates, deletes them, and keeps the marks right.
 * Runs inside the writer's transaction.
 */
export class StatsKeeper {
  private readonly db: DatabaseSync;
  private statements: ReturnType<typeof prepareKeeper> | null = null;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  /** Prepared on first use: only revisions and re-enrichment need them. */
  private get s(): ReturnType<typeof prepareKeeper> {
    this.statements ??= prepareKeeper(this.db);
    return this.statements;
  }

  private markOf(name: string): number {
    return (this.s.mark.get(name) as { last_id: number } | undefined)?.last_id ?? 0;
  }

  dropLabels(messageId: number, facet: string): void {
    this.s.uncountLabels.run(messageId, facet, this.markOf(statMarks.labels));
    this.s.deleteLabels.run(messageId, facet);
    lowerMark(this.db, 'message_labels', [statMarks.labels]);
  }

  dropTerms(messageId: number): void {
    const rows = this.s.countedTerms.all(messageId, this.markOf(statMarks.terms)) as {
      project: number;
      day: number;
      term: string;
      count: number;
    }[];
    for (const r of rows) {
      this.s.uncountTermDay.run(r.count, r.project, r.day, r.term);
      this.s.uncountTermTotal.run(r.count, r.project, r.term);
    }
    this.s.deleteTerms.run(messageId);
    lowerMark(this.db, 'message_terms', [statMarks.terms]);
  }
}

function prepareKeeper(db: DatabaseSync) {
  return {
    mark: db.prepare('SELECT last_id FROM read_marks WHERE name = ? AND project_id = 0'),
    uncountLabels: db.prepare(`
      UPDATE label_stats SET messages = messages - 1
      WHERE (project_id, facet, day, label) IN (
        SELECT project_id, facet, ${dayOf('timestamp')}, label FROM message_labels
        WHERE message_id = ? AND facet = ? AND rowid <= ?)`),
    deleteLabels: db.prepare('DELETE FROM message_labels WHERE message_id = ? AND facet = ?'),
    countedTerms: db.prepare(`
      SELECT m.project_id AS project, ${dayOf('m.timestamp')} AS day, t.term AS term, t.count AS count
      FROM message_terms t JOIN messages m ON m.id = t.message_id WHERE t.message_id = ? AND t.rowid <= ?`),
    uncountTermDay: db.prepare(
      'UPDATE term_days SET count = count - ? WHERE project_id = ? AND day = ? AND term = ?',
    ),
    uncountTermTotal: db.prepare(
      'UPDATE term_totals SET count = count - ? WHERE project_id = ? AND term = ?',
    ),
    deleteTerms: db.prepare('DELETE FROM message_terms WHERE message_id = ?'),
  };
}

/**
 * Takes messages about to be deleted out of every aggregate that counted them (their authors,
 * labels and terms). Runs inside the caller's transaction, before the rows go.
 */
export function forgetMessages(db: DatabaseSync, ids: readonly number[], list: string): void {
  const mark = (name: string) => readMark(db, name);
  const groups = db
    .prepare(
      `SELECT project_id, ${dayOf('timestamp')} AS day, source, role, kind, COALESCE(speaker_name, '') AS speaker,
         COALESCE(model, '') AS model, COUNT(*) AS n
       FROM messages WHERE id IN (${list}) AND id <= ? GROUP BY 1, 2, 3, 4, 5, 6, 7`,
    )
    .all(...ids, mark(statMarks.messages)) as {
    project_id: number;
    day: number;
    source: string;
    role: string;
    kind: string;
    speaker: string;
    model: string;
    n: number;
  }[];
  const uncount = db.prepare(
    `UPDATE message_stats SET messages = messages - ? WHERE project_id = ? AND day = ? AND source = ? AND role = ?
     AND kind = ? AND speaker = ? AND model = ?`,
  );
  for (const g of groups) uncount.run(g.n, g.project_id, g.day, g.source, g.role, g.kind, g.speaker, g.model);
  db.prepare(
    `UPDATE label_stats SET messages = messages - c.n
     FROM (SELECT project_id, facet, ${dayOf('timestamp')} AS day, label, COUNT(*) AS n FROM message_labels
           WHERE message_id IN (${list}) AND rowid <= ? GROUP BY 1, 2, 3, 4) AS c
     WHERE label_stats.project_id = c.project_id AND label_stats.facet = c.facet AND label_stats.day = c.day
       AND label_stats.label = c.label`,
  ).run(...ids, mark(statMarks.labels));
  const terms = `SELECT m.project_id AS project_id, ${dayOf('m.timestamp')} AS day, t.term AS term, t.count AS count
     FROM message_terms t JOIN messages m ON m.id = t.message_id WHERE t.message_id IN (${list}) AND t.rowid <= ?`;
  db.prepare(
    `UPDATE term_days SET count = count - c.n
     FROM (SELECT project_id, day, term, SUM(count) AS n FROM (${terms}) GROUP BY 1, 2, 3) AS c
     WHERE term_days.project_id = c.project_id AND term_days.day = c.day AND term_days.term = c.term`,
  ).run(...ids, mark(statMarks.terms));
  db.prepare(
    `UPDATE term_totals SET count = count - c.n
     FROM (SELECT project_id, term, SUM(count) AS n FROM (${terms}) GROUP BY 1, 2) AS c
     WHERE term_totals.project_id = c.project_id AND term_totals.term = c.term`,
  ).run(...ids, mark(statMarks.terms));
}
