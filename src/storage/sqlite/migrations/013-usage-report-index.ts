import type { Migration } from '../migrate.ts';

/**
 * `agentlog stats usage` sums every usage row of a project in a time range, grouped by 15-minute
 * bucket, model or session. This index holds every column it reads, so the sums come from the
 * index pages alone instead of one table lookup per response (about a quarter less work at 30,000
 * responses, cold). It starts with (project_id, timestamp), so it serves every query usage_time
 * served, which goes: one index fewer to write per response.
 */
export const usageReportIndex: Migration = {
  version: 13,
  name: 'usage-report-index',
  sql: `
CREATE INDEX usage_report ON usage (
  project_id, timestamp, source, model, session_id,
  input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens
);
DROP INDEX usage_time;
`,
};
