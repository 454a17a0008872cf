import type { EnrichmentLabel } from '../domain/enrichment.ts';
import type { Enricher } from './enricher.ts';

/** How many recent tool call ids a pipeline remembers to name the tool of a later result. */
const rememberedCalls = 10_000;

/**
 * Tool call ids seen recently, with their tool's name: a result arrives in a later message than
 * its call, usually in the same ingest. Bounded: the oldest ids are forgotten first.
 */
export class ToolCallMemory {
  private readonly names = new Map<string, string>();

  remember(id: string, name: string): void {
    if (this.names.size >= rememberedCalls) {
      const oldest = this.names.keys().next().value;
      if (oldest !== undefined) this.names.delete(oldest);
    }
    this.names.set(id, name);
  }

  nameOf(id: string): string | null {
    return this.names.get(id) ?? null;
  }
}

/** Tools called in a message, and for each tool result, its tool and whether it failed. */
export function createToolsEnricher(memory: ToolCallMemory): Enricher<'tools'> {
  return {
    name: 'tools',
    version: 1,
    stage: 'ingest',
    facets: ['tool', 'tool_error'],
    enrich({ view }) {
      const labels: EnrichmentLabel[] = [];
      const calls = view.calls.map((c) => {
        memory.remember(c.id, c.name);
        labels.push({ facet: 'tool', label: c.name, rank: 0 });
        return { name: c.name, id: c.id };
      });
      const results = view.results.map((r) => {
        const name = memory.nameOf(r.id);
        if (r.failed) labels.push({ facet: 'tool_error', label: name ?? 'unknown', rank: 0 });
        return { id: r.id, name, failed: r.failed };
      });
      return { value: { calls, results }, labels };
    },
  };
}
