import type pg from 'pg';
import type { StoredEnrichment } from '../../domain/enrichment.ts';
import type { Message } from '../../domain/message.ts';
import type {
  EnrichmentScan,
  EnrichmentWrite,
  FacetCount,
  FacetQuery,
  TermQuery,
  TermTotals,
} from '../ports.ts';
import { PgEnrichmentWriter } from './pg-enrichment-writer.ts';
import { messageColumns, toMessage, type MessageRow } from './pg-rows.ts';
import { inPgTransaction, pgQueries, type PgTx } from './pg-tx.ts';

const scanPage = 500;

/** Conditions on message_labels (alias l) or messages (alias m) shared by the aggregate queries. */
function selection(
  alias: string,
  query: { projectId: number; sessionId?: string; source?: string; since?: number; until?: number },
): { sql: string; params: Record<string, unknown> } {
  const parts = [`${alias}.project_id = :project`];
  const params: Record<string, unknown> = { project: query.projectId };
  if (query.sessionId !== undefined) {
    parts.push(`${alias}.session_id = :session`);
    params.session = query.sessionId;
  }
  if (query.since !== undefined) {
    parts.push(`${alias}.timestamp >= :since`);
    params.since = query.since;
  }
  if (query.until !== undefined) {
    parts.push(`${alias}.timestamp < :until`);
    params.until = query.until;
  }
  if (query.source !== undefined) {
    parts.push(`EXISTS (SELECT 1 FROM messages s WHERE s.id = ${alias === 'm' ? 'm.id' : `${alias}.message_id`}
      AND s.source = :source)`);
    params.source = query.source;
  }
  return { sql: parts.join(' AND '), params };
}

/** The enrichment part of the Store port on PostgreSQL: reads, the re-enrichment scan and writes. */
export class PgEnrichQueries {
  private readonly pool: pg.Pool;
  private readonly db: PgTx;

  constructor(pool: pg.Pool) {
    this.pool = pool;
    this.db = pgQueries(pool);
  }

  async enrichments(messageIds: readonly number[]): Promise<Map<number, StoredEnrichment[]>> {
    const out = new Map<number, StoredEnrichment[]>();
    if (messageIds.length === 0) return out;
    const rows = await this.db.q<{
      message_id: number;
      enricher: string;
      version: number;
      value: unknown;
      error: string | null;
      enriched_at: number;
    }>(
      `SELECT * FROM message_enrichments WHERE message_id = ANY(:ids::bigint[])
       ORDER BY message_id, enricher COLLATE "C"`,
      { ids: [...messageIds] },
    );
    for (const row of rows) {
      let list = out.get(row.message_id);
      if (list === undefined) out.set(row.message_id, (list = []));
      list.push({
        enricher: row.enricher,
        version: row.version,
        value: row.value,
        error: row.error,
        enrichedAt: row.enriched_at,
      });
    }
    return out;
  }

  async facetCounts(query: FacetQuery): Promise<FacetCount[]> {
    const where = selection('l', query);
    return this.db.q<FacetCount>(
      `SELECT l.label, COUNT(*)::int AS messages, COUNT(DISTINCT l.session_id)::int AS sessions
       FROM message_labels l WHERE ${where.sql} AND l.facet = :facet
       GROUP BY l.label ORDER BY messages DESC, l.label COLLATE "C" LIMIT :limit`,
      { ...where.params, facet: query.facet, limit: query.limit ?? null },
    );
  }

  async termTotals(query: TermQuery): Promise<TermTotals> {
    const where = selection('m', query);
    const terms = await this.db.q<{ term: string; count: number; documents: number }>(
      `SELECT t.term, SUM(t.count)::bigint AS count, COALESCE(MAX(d.documents), 0)::bigint AS documents
       FROM message_terms t JOIN messages m ON m.id = t.message_id
       LEFT JOIN term_documents d ON d.project_id = m.project_id AND d.term = t.term
       WHERE ${where.sql} GROUP BY t.term ORDER BY count DESC, t.term COLLATE "C" LIMIT :limit`,
      { ...where.params, limit: query.limit ?? 200 },
    );
    return { documents: await this.documentsOf(query.projectId), terms };
  }

  async termDocuments(
    projectId: number,
    terms: readonly string[],
  ): Promise<{ documents: number; frequencies: Map<string, number> }> {
    const rows =
      terms.length === 0
        ? []
        : await this.db.q<{ term: string; documents: number }>(
            'SELECT term, documents FROM term_documents WHERE project_id = :project AND term = ANY(:terms::text[])',
            { project: projectId, terms: [...terms] },
          );
    return {
      documents: await this.documentsOf(projectId),
      frequencies: new Map(rows.map((r) => [r.term, r.documents])),
    };
  }

  /** Pages of 500 by id, so a scan of every message streams with flat memory. */
  async *messagesToEnrich(scan: EnrichmentScan): AsyncIterable<Message> {
    const where = selection('m', scan);
    const parts = [where.sql, 'm.id > :after'];
    const params: Record<string, unknown> = { ...where.params };
    (scan.outdated ?? []).forEach((o, i) => {
      params[`enricher${i}`] = o.enricher;
      params[`version${i}`] = o.version;
    });
    if (scan.outdated !== undefined && scan.outdated.length > 0)
      parts.push(
        `(${scan.outdated
          .map(
            (_, i) => `NOT EXISTS (SELECT 1 FROM message_enrichments e WHERE e.message_id = m.id
              AND e.enricher = :enricher${i} AND e.version >= :version${i})`,
          )
          .join(' OR ')})`,
      );
    let after = scan.afterId ?? 0;
    let left = scan.limit ?? Number.POSITIVE_INFINITY;
    while (left > 0) {
      const size = Math.min(scanPage, left);
      const rows = await this.db.q<MessageRow>(
        `SELECT ${messageColumns('m')} FROM messages m WHERE ${parts.join(' AND ')} ORDER BY m.id LIMIT :limit`,
        { ...params, after, limit: size },
      );
      for (const row of rows) yield toMessage(row);
      const last = rows.at(-1);
      if (last === undefined || rows.length < size) return;
      left -= rows.length;
      after = last.id;
    }
  }

  writeEnrichments(projectId: number, items: readonly EnrichmentWrite[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return inPgTransaction(this.pool, async (tx) => {
      const ids = [...new Set(items.map((i) => i.messageId))];
      const targets = await tx.q<{
        id: number;
        session_id: string;
        timestamp: number | null;
        has_terms: boolean;
      }>(
        `SELECT m.id, m.session_id, m.timestamp, EXISTS (SELECT 1 FROM message_enrichments e
           WHERE e.message_id = m.id AND e.enricher = 'terms') AS has_terms
         FROM messages m WHERE m.project_id = :project AND m.id = ANY(:ids::bigint[]) FOR UPDATE OF m`,
        { project: projectId, ids },
      );
      const byId = new Map(targets.map((t) => [t.id, t]));
      // A message counts once in the document frequencies: when its terms are first stored.
      const counted = new Set(targets.filter((t) => !t.has_terms).map((t) => t.id));
      const writer = new PgEnrichmentWriter();
      for (const item of items) {
        const row = byId.get(item.messageId);
        if (row === undefined) continue;
        const target = { projectId, messageId: row.id, sessionId: row.session_id, timestamp: row.timestamp };
        writer.add(target, item.enrichment, item.enrichment.terms !== null && counted.delete(row.id));
      }
      await writer.flush(tx, projectId);
    });
  }

  private async documentsOf(projectId: number): Promise<number> {
    const [row] = await this.db.q<{ documents: number }>(
      'SELECT documents FROM corpus_documents WHERE project_id = :project',
      { project: projectId },
    );
    return row?.documents ?? 0;
  }
}
