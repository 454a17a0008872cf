import type { EnrichmentResult, EnrichmentValues, MessageEnrichment } from '../domain/enrichment.ts';
import type { SessionPatch } from '../domain/session.ts';
import type { ParsedRecord } from '../sources/source-format.ts';
import type { DomainRule } from './domain-rules.ts';
import type { Enricher } from './enricher.ts';
import { ingestEnrichers } from './enrichers.ts';
import {
  defaultRedaction,
  RecordRedactor,
  type Redaction,
  type RedactionSettings,
} from './record-redactor.ts';
import { runEnrichers } from './run-enrichers.ts';
import { placeholder } from './text-redactor.ts';

/** Plain data (it crosses to import worker threads): everything a pipeline is built from. */
export type PipelineSettings = {
  redaction: RedactionSettings;
  /** Run the ingest enrichers before the first write; off, messages are only redacted. */
  enrich: boolean;
  /** The user's domain rules, added to the built-in ones. */
  domainRules: DomainRule[];
};

export const defaultPipelineSettings: PipelineSettings = {
  redaction: defaultRedaction,
  enrich: true,
  domainRules: [],
};

/** A record ready to queue: redacted, its raw bytes redacted the same way, its message enriched. */
export type PreparedRecord = {
  record: ParsedRecord;
  raw: Uint8Array | null;
  enrichment: MessageEnrichment | undefined;
};

/** Bumped when the rules change what they find, like an enricher's version. */
const redactionVersion = 1;
const unscannable = new TextEncoder().encode(JSON.stringify({ redacted: placeholder('unscannable') }));

/**
 * The stage every record passes in `Ingestor.add`, before anything is queued for the store:
 * redaction of the record and of its raw bytes, then the ingest enrichers on the redacted message.
 * One pipeline per ingest (it remembers tool call ids so results can name their tool).
 */
export class IngestPipeline {
  readonly settings: PipelineSettings;
  private readonly redactor: RecordRedactor;
  private readonly enrichers: readonly Enricher[];

  /** `enrichers` replaces the ingest enrichers (an extension point, and how tests add a failing one). */
  constructor(settings: PipelineSettings = defaultPipelineSettings, enrichers?: readonly Enricher[]) {
    this.settings = settings;
    this.redactor = new RecordRedactor(settings.redaction);
    this.enrichers = settings.enrich ? (enrichers ?? ingestEnrichers(settings.domainRules)) : [];
  }

  prepare(record: ParsedRecord, raw: Uint8Array | null): PreparedRecord {
    let redacted: Redaction;
    try {
      redacted = this.redactor.redact(record, raw);
    } catch {
      // A record the redactor cannot walk (nesting deep enough to exhaust the stack) is not
      // stored as it came: nothing unscanned reaches the store.
      const failed = { record: withoutContent(record), raw: raw === null ? null : unscannable };
      redacted = { ...failed, counts: { unscannable: 1 }, rawCounts: {}, dropped: true };
    }
    const message = redacted.record.message;
    if (message === null) return { record: redacted.record, raw: redacted.raw, enrichment: undefined };
    const enrichment = this.enrichers.length > 0 ? runEnrichers(this.enrichers, message) : emptyEnrichment();
    this.addRedaction(enrichment, redacted);
    return { record: redacted.record, raw: redacted.raw, enrichment };
  }

  private addRedaction(enrichment: MessageEnrichment, redacted: Redaction): void {
    const value: EnrichmentValues['redaction'] = {
      policy: this.settings.redaction.policy,
      counts: redacted.counts,
      raw: redacted.rawCounts,
      dropped: redacted.dropped,
    };
    const result: EnrichmentResult = { enricher: 'redaction', version: redactionVersion, value, error: null };
    enrichment.results.push(result);
    enrichment.facets.push('redacted');
    const kinds = new Set([...Object.keys(redacted.counts), ...Object.keys(redacted.rawCounts)]);
    for (const label of kinds) enrichment.labels.push({ facet: 'redacted', label, rank: 0 });
  }
}

function emptyEnrichment(): MessageEnrichment {
  return { results: [], labels: [], facets: [], terms: null };
}

/** The record with every string it carries taken out (see the catch in `prepare`). */
function withoutContent(record: ParsedRecord): ParsedRecord {
  const text = placeholder('unscannable');
  return {
    ...record,
    sessions: record.sessions.map(withoutText),
    message:
      record.message === null
        ? null
        : { ...record.message, blocks: [{ type: 'text', text }], text, meta: {}, speaker: null },
  };
}

function withoutText(patch: SessionPatch): SessionPatch {
  const out = { ...patch };
  for (const key of ['title', 'fallbackTitle', 'cwd', 'gitBranch', 'meta'] as const) delete out[key];
  return out;
}

export function createIngestPipeline(settings?: PipelineSettings): IngestPipeline {
  return new IngestPipeline(settings);
}
