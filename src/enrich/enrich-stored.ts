import type { Message } from '../domain/message.ts';
import type { EnrichmentWrite, Store } from '../storage/ports.ts';
import type { DomainRule } from './domain-rules.ts';
import type { Enricher } from './enricher.ts';
import { allEnrichers } from './enrichers.ts';
import { MessageView } from './message-view.ts';
import { runEnrichers } from './run-enrichers.ts';
import { extractTerms } from './terms.ts';
import { loadTokenCounter } from './tokens.ts';

export type EnrichStoredOptions = {
  store: Store;
  projectId: number;
  /** Every message again; otherwise only those missing an enricher's current version. */
  all: boolean;
  /** Only the enrichers ingest does not run (exact tokens, keywords), e.g. when a session completes. */
  deferredOnly?: boolean;
  /** Only this session's messages. */
  sessionId?: string;
  /** Message timestamps (epoch ms), since inclusive, until exclusive. */
  since?: number;
  until?: number;
  domainRules?: readonly DomainRule[];
  /** Messages per transaction. */
  batchSize?: number;
  onProgress?: (progress: { done: number; total: number }) => void;
};

/** The `--json` contract of `agentlog enrich`. */
export type EnrichSummary = {
  /** Messages enriched. */
  messages: number;
  /** Enricher results that failed (the message keeps its other results). */
  failures: number;
  enrichers: { name: string; version: number }[];
  durationMs: number;
};

/**
 * Enriches stored messages with every enricher at its current version: the ones ingest ran (so
 * an improved enricher reaches old data) and the deferred ones (exact token counts, keywords
 * against the corpus). Messages are read in id order and written in batches. The stored messages
 * were redacted before their first write, and stay as they are: only enrichment rows change.
 */
export async function enrichStored(options: EnrichStoredOptions): Promise<EnrichSummary> {
  const started = performance.now();
  const every = allEnrichers(options.domainRules ?? [], await loadTokenCounter());
  const enrichers = options.deferredOnly ? every.filter((e) => e.stage === 'deferred') : every;
  const outdated = options.all ? undefined : enrichers.map((e) => ({ enricher: e.name, version: e.version }));
  const batchSize = options.batchSize ?? 500;
  const total = (await options.store.counts(options.projectId)).messages;
  const summary: EnrichSummary = {
    messages: 0,
    failures: 0,
    enrichers: enrichers.map((e) => ({ name: e.name, version: e.version })),
    durationMs: 0,
  };
  let afterId = 0;
  for (;;) {
    const batch: Message[] = [];
    for await (const m of options.store.messagesToEnrich({
      projectId: options.projectId,
      afterId,
      limit: batchSize,
      ...(options.sessionId === undefined ? {} : { sessionId: options.sessionId }),
      ...(options.since === undefined ? {} : { since: options.since }),
      ...(options.until === undefined ? {} : { until: options.until }),
      ...(outdated === undefined ? {} : { outdated }),
    }))
      batch.push(m);
    if (batch.length === 0) break;
    afterId = batch.at(-1)!.id;
    const writes = await enrichBatch(options.store, options.projectId, enrichers, batch);
    await options.store.writeEnrichments(options.projectId, writes);
    summary.messages += writes.length;
    for (const w of writes) summary.failures += w.enrichment.results.filter((r) => r.error !== null).length;
    options.onProgress?.({ done: summary.messages, total: Math.max(total, summary.messages) });
  }
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}

/** Enriches one batch; the corpus statistics of the batch's terms are loaded first, in one query. */
async function enrichBatch(
  store: Store,
  projectId: number,
  enrichers: readonly Enricher[],
  batch: readonly Message[],
): Promise<EnrichmentWrite[]> {
  const terms = new Set<string>();
  for (const m of batch) {
    try {
      for (const t of extractTerms(new MessageView(m))) terms.add(t.term);
    } catch {
      // The keywords enricher meets the same failure and records it on the message.
    }
  }
  const corpus = await store.termDocuments(projectId, [...terms]);
  return batch.map((m) => ({ messageId: m.id, enrichment: runEnrichers(enrichers, m, corpus) }));
}
