import type { CollaborationComponent } from './report-contract.ts';

/** Formatting shared by the Markdown and HTML reports (English, UTC). */
export const count = (n: number) => Math.round(n).toLocaleString('en-US');
export const percent = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)} %`);
export const usd = (n: number) =>
  `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
export const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const when = (ms: number | null) =>
  ms === null ? 'open' : new Date(ms).toISOString().replace('.000Z', 'Z');

export const componentTitles: Record<CollaborationComponent, string> = {
  speakerDiversity: 'Speaker diversity',
  domainCoverage: 'Domain coverage',
  messageConsistency: 'Message consistency over time',
  metadataEnrichment: 'Metadata enrichment',
  tagCompleteness: 'Tag completeness',
};

/** The sentence shown in place of an enrichment section that has nothing yet. */
export function notEnrichedNote(notEnriched: number): string {
  return `Not enriched yet: ${count(notEnriched)} message${notEnriched === 1 ? '' : 's'} without enrichment (run \`npx agentlog enrich\`).`;
}
