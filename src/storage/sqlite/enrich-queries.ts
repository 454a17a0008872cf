import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { MessageEnrichment, StoredEnrichment, TermCount } from '../../domain/enrichment.ts';
import type { Message } from '../../domain/message.ts';
import type {
  EnrichmentScan,
  EnrichmentWrite,
  FacetCount,
  FacetQuery,
  TermQuery,
  TermTotals,
} from '../ports.ts';
import { toMessage, type MessageRow } from './rows.ts';
import { MultiRowInsert } from './multi-row-insert.ts';
import { StatsKeeper } from './report-stats.ts';

/** Terms kept per message for keyword sums; every distinct term still counts in the frequencies. */
const storedTermsPerMessage = 24;
/** SQLite allows 32766 bound values; stay far below when listing ids or terms. */
const chunkSize = 500;

type Where = { sql: string; params: SQLInputValue[] };

/** Conditions on message_labels (alias l) or messages (alias m) shared by the aggregate queries. */
function selection(
  alias: string,
  query: { projectId: number; sessionId?: string; source?: string; since?: number; until?: number },
): Where {
  const parts = [`${alias}.project_id = ?`];
  const params: SQLInputValue[] = [query.projectId];
  if (query.sessionId !== undefined) {
    parts.push(`${alias}.session_id = ?`);
    params.push(query.sessionId);
  }
  if (query.since !== undefined) {
    parts.push(`${alias}.timestamp >= ?`);
    params.push(query.since);
  }
  if (query.until !== undefined) {
    parts.push(`${alias}.timestamp < ?`);
    params.push(query.until);
  }
  if (query.source !== undefined) {
    parts.push(`${alias}.message_id IN (SELECT id FROM messages WHERE source = ?)`);
    params.push(query.source);
  }
  return { sql: parts.join(' AND '), params };
}

/**
 * Writes enrichment inside the batch writer's transaction: results, labels and terms of each
 * message, and the project's document frequencies summed over the batch (one upsert per distinct
 * term per batch, not per message). The rows of messages new in this transaction are queued and
 * inserted many per statement at `finish`: they have nothing to replace.
 */
export class EnrichmentWriter {
  private readonly upsertResult: StatementSync;
  private readonly deleteLabels: StatementSync;
  private readonly insertLabel: StatementSync;
  private readonly deleteTerms: StatementSync;
  private readonly insertTerm: StatementSync;
  private readonly bumpCorpus: StatementSync;
  private readonly newResults: MultiRowInsert;
  private readonly newLabels: MultiRowInsert;
  private readonly newTerms: MultiRowInsert;
  private readonly termDocuments: MultiRowInsert;
  private readonly documentCounts = new Map<string, number>();
  private documents = 0;
  private readonly stats: StatsKeeper;

  constructor(db: DatabaseSync) {
    this.stats = new StatsKeeper(db);
    const resultsHead =
      'INSERT INTO message_enrichments (message_id, enricher, version, value, error, enriched_at)';
    const resultsTail = `ON CONFLICT (message_id, enricher) DO UPDATE SET version = excluded.version,
      value = excluded.value, error = excluded.error, enriched_at = excluded.enriched_at`;
    this.upsertResult = db.prepare(`${resultsHead} VALUES (?, ?, ?, ?, ?, ?) ${resultsTail}`);
    this.newResults = new MultiRowInsert(db, resultsHead, 6, resultsTail);
    this.deleteLabels = db.prepare('DELETE FROM message_labels WHERE message_id = ? AND facet = ?');
    const labelsHead =
      'INSERT INTO message_labels (project_id, message_id, session_id, timestamp, facet, label, rank)';
    this.insertLabel = db.prepare(`${labelsHead} VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
    this.newLabels = new MultiRowInsert(db, labelsHead, 7, 'ON CONFLICT DO NOTHING');
    this.deleteTerms = db.prepare('DELETE FROM message_terms WHERE message_id = ?');
    const termsHead = 'INSERT INTO message_terms (message_id, term, count)';
    this.insertTerm = db.prepare(`${termsHead} VALUES (?, ?, ?)`);
    this.newTerms = new MultiRowInsert(db, termsHead, 3, 'ON CONFLICT DO NOTHING');
    this.termDocuments = new MultiRowInsert(
      db,
      'INSERT INTO term_documents (project_id, term, documents)',
      3,
      'ON CONFLICT (project_id, term) DO UPDATE SET documents = term_documents.documents + excluded.documents',
    );
    this.bumpCorpus = db.prepare(`
      INSERT INTO corpus_documents (project_id, documents) VALUES (?, ?)
      ON CONFLICT (project_id) DO UPDATE SET documents = corpus_documents.documents + excluded.documents`);
  }

  /**
   * Stores a message's enrichment. `counted`: the message's terms join the document frequencies
   * (a revised or re-enriched message was counted when first stored). `fresh`: the message row was
   * inserted in this transaction, so it has no labels or terms to replace.
   */
  write(
    target: { projectId: number; messageId: number; sessionId: string; timestamp: number | null },
    enrichment: MessageEnrichment,
    counted: boolean,
    fresh = false,
  ): void {
    const { projectId, messageId, sessionId, timestamp } = target;
    const now = Date.now();
    if (fresh) {
      for (const r of enrichment.results)
        this.newResults.add(messageId, r.enricher, r.version, resultValue(r.value), r.error, now);
      for (const l of enrichment.labels)
        this.newLabels.add(projectId, messageId, sessionId, timestamp, l.facet, l.label, l.rank);
      if (enrichment.terms === null) return;
      for (const t of topTerms(enrichment.terms)) this.newTerms.add(messageId, t.term, t.count);
      if (counted) this.countDocument(enrichment.terms);
      return;
    }
    // Rows queued for new messages go in first: a message new and revised in one batch ends revised.
    this.flushQueued();
    for (const r of enrichment.results)
      this.upsertResult.run(messageId, r.enricher, r.version, resultValue(r.value), r.error, now);
    // A stored message's old labels and terms leave the report aggregates with them (report-stats.ts).
    for (const facet of enrichment.facets) {
      if (counted) this.deleteLabels.run(messageId, facet);
      else this.stats.dropLabels(messageId, facet);
    }
    for (const l of enrichment.labels)
      this.insertLabel.run(projectId, messageId, sessionId, timestamp, l.facet, l.label, l.rank);
    if (enrichment.terms === null) return;
    if (counted) this.deleteTerms.run(messageId);
    else this.stats.dropTerms(messageId);
    for (const t of topTerms(enrichment.terms)) this.insertTerm.run(messageId, t.term, t.count);
    if (counted) this.countDocument(enrichment.terms);
  }

  /** Writes what is queued and adds the batch's document frequencies; once, at the end of the transaction. */
  finish(projectId: number): void {
    this.flushQueued();
    if (this.documents === 0) return;
    for (const [term, n] of this.documentCounts) this.termDocuments.add(projectId, term, n);
    this.termDocuments.flush();
    this.bumpCorpus.run(projectId, this.documents);
    this.documentCounts.clear();
    this.documents = 0;
  }

  /** Forgets what a failed transaction left here. */
  reset(): void {
    for (const queue of [this.newResults, this.newLabels, this.newTerms, this.termDocuments]) queue.clear();
    this.documentCounts.clear();
    this.documents = 0;
  }

  private countDocument(terms: readonly TermCount[]): void {
    this.documents++;
    for (const t of terms) this.documentCounts.set(t.term, (this.documentCounts.get(t.term) ?? 0) + 1);
  }

  private flushQueued(): void {
    this.newResults.flush();
    this.newLabels.flush();
    this.newTerms.flush();
  }
}

function resultValue(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** The terms kept for a message: its most frequent, ties by term so the choice is stable. */
function topTerms(terms: readonly TermCount[]): readonly TermCount[] {
  // Two messages in three have no more terms than are kept (Claude corpus): all of them, unsorted.
  if (terms.length <= storedTermsPerMessage) return terms;
  const sorted = [...terms].sort((a, b) => b.count - a.count || (a.term < b.term ? -1 : 1));
  return sorted.slice(0, storedTermsPerMessage);
}

/** The read side of enrichment, and re-enrichment writes (`agentlog enrich`). */
export class EnrichQueries {
  private readonly db: DatabaseSync;
  private readonly writer: EnrichmentWriter;
  private readonly messageTarget: StatementSync;
  private readonly corpus: StatementSync;
  private readonly hasTerms: StatementSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.writer = new EnrichmentWriter(db);
    this.messageTarget = db.prepare(
      'SELECT session_id, timestamp FROM messages WHERE id = ? AND project_id = ?',
    );
    this.corpus = db.prepare('SELECT documents FROM corpus_documents WHERE project_id = ?');
    this.hasTerms = db.prepare(
      "SELECT 1 AS found FROM message_enrichments WHERE message_id = ? AND enricher = 'terms'",
    );
  }

  enrichments(messageIds: readonly number[]): Map<number, StoredEnrichment[]> {
    const out = new Map<number, StoredEnrichment[]>();
    for (let i = 0; i < messageIds.length; i += chunkSize) {
      const ids = messageIds.slice(i, i + chunkSize);
      const rows = this.db
        .prepare(
          `SELECT message_id, enricher, version, value, error, enriched_at FROM message_enrichments
           WHERE message_id IN (${ids.map(() => '?').join(',')}) ORDER BY message_id, enricher`,
        )
        .all(...ids) as {
        message_id: number;
        enricher: string;
        version: number;
        value: string | null;
        error: string | null;
        enriched_at: number;
      }[];
      for (const row of rows) {
        let list = out.get(row.message_id);
        if (!list) out.set(row.message_id, (list = []));
        list.push({
          enricher: row.enricher,
          version: row.version,
          value: row.value === null ? null : (JSON.parse(row.value) as unknown),
          error: row.error,
          enrichedAt: row.enriched_at,
        });
      }
    }
    return out;
  }

  facetCounts(query: FacetQuery): FacetCount[] {
    const where = selection('l', query);
    const rows = this.db
      .prepare(
        `SELECT l.label AS label, COUNT(*) AS messages, COUNT(DISTINCT l.session_id) AS sessions
         FROM message_labels l WHERE ${where.sql} AND l.facet = ?
         GROUP BY l.label ORDER BY messages DESC, l.label LIMIT ?`,
      )
      .all(...where.params, query.facet, query.limit ?? -1) as FacetCount[];
    return rows.map((r) => ({ label: r.label, messages: r.messages, sessions: r.sessions }));
  }

  termTotals(query: TermQuery): TermTotals {
    const where = selection('m', query);
    const rows = this.db
      .prepare(
        `SELECT t.term AS term, SUM(t.count) AS count, COALESCE(MAX(d.documents), 0) AS documents
         FROM message_terms t JOIN messages m ON m.id = t.message_id
         LEFT JOIN term_documents d ON d.project_id = m.project_id AND d.term = t.term
         WHERE ${where.sql} GROUP BY t.term ORDER BY count DESC, t.term LIMIT ?`,
      )
      .all(...where.params, query.limit ?? 200) as { term: string; count: number; documents: number }[];
    return {
      documents: this.documentsOf(query.projectId),
      terms: rows.map((r) => ({ term: r.term, count: r.count, documents: r.documents })),
    };
  }

  termDocuments(
    projectId: number,
    terms: readonly string[],
  ): { documents: number; frequencies: Map<string, number> } {
    const frequencies = new Map<string, number>();
    for (let i = 0; i < terms.length; i += chunkSize) {
      const slice = terms.slice(i, i + chunkSize);
      const rows = this.db
        .prepare(
          `SELECT term, documents FROM term_documents WHERE project_id = ? AND term IN (${slice
            .map(() => '?')
            .join(',')})`,
        )
        .all(projectId, ...slice) as { term: string; documents: number }[];
      for (const row of rows) frequencies.set(row.term, row.documents);
    }
    return { documents: this.documentsOf(projectId), frequencies };
  }

  *messagesToEnrich(scan: EnrichmentScan): Iterable<Message> {
    const where = selection('m', scan);
    const parts = [where.sql, 'm.id > ?'];
    const params = [...where.params, scan.afterId ?? 0];
    if (scan.outdated !== undefined && scan.outdated.length > 0) {
      const missing = scan.outdated.map(
        () =>
          'NOT EXISTS (SELECT 1 FROM message_enrichments e WHERE e.message_id = m.id AND e.enricher = ? AND e.version >= ?)',
      );
      parts.push(`(${missing.join(' OR ')})`);
      for (const o of scan.outdated) params.push(o.enricher, o.version);
    }
    const statement = this.db.prepare(
      `SELECT m.* FROM messages m WHERE ${parts.join(' AND ')} ORDER BY m.id LIMIT ?`,
    );
    for (const row of statement.iterate(...params, scan.limit ?? -1)) yield toMessage(row as MessageRow);
  }

  writeEnrichments(projectId: number, items: readonly EnrichmentWrite[]): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      for (const item of items) {
        const row = this.messageTarget.get(item.messageId, projectId) as
          { session_id: string; timestamp: number | null } | undefined;
        if (!row) continue;
        const target = {
          projectId,
          messageId: item.messageId,
          sessionId: row.session_id,
          timestamp: row.timestamp,
        };
        // A message counts once in the document frequencies: when its terms are first stored.
        const counted = this.hasTerms.get(item.messageId) === undefined;
        this.writer.write(target, item.enrichment, counted);
      }
      this.writer.finish(projectId);
      this.db.exec('COMMIT');
    } catch (error) {
      this.writer.reset();
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private documentsOf(projectId: number): number {
    const row = this.corpus.get(projectId) as { documents: number } | undefined;
    return row?.documents ?? 0;
  }
}
