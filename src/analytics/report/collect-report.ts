import type { MessageCountRow, ReportWindow, Store, UsageDayRow } from '../../storage/ports.ts';
import { collaborationScore } from './collaboration-score.ts';
import { enrichmentSections } from './enrichment-sections.ts';
import { costOf, priceOf, priceTableSource } from './price-table.ts';
import type { Report, Share, TokenReport, TokenTotals } from './report-contract.ts';

const day = 86_400_000;
/** Rows shown per breakdown; the rest are summed into one `(others)` row. */
const shownRows = 50;

export type ReportRequest = {
  projectId: number;
  projectName: string;
  since?: number;
  until?: number;
  now: number;
};

/**
 * Builds the report from the store's aggregates: message counts per day and author, usage per
 * day and model, sessions per status, and the enrichment facets. Each read is a grouped query,
 * so memory depends on the number of days, speakers and models, never on the number of messages.
 */
export async function collectReport(store: Store, request: ReportRequest): Promise<Report> {
  const window: ReportWindow = {
    projectId: request.projectId,
    ...(request.since === undefined ? {} : { since: request.since }),
    ...(request.until === undefined ? {} : { until: request.until }),
  };
  const counts = await store.messageCounts(window);
  const tally = tallyMessages(counts);
  const statuses = await store.sessionStatusCounts(window);
  const sessions = statuses.reduce((sum, s) => sum + s.sessions, 0);
  const tokens = tokenReport(await store.usageByDay(window));
  const enrichment = await enrichmentSections(store, window, tally.total);
  const timeline = [...tally.days]
    .map(([d, messages]) => ({ day: d, messages }))
    .sort((a, b) => a.day - b.day);
  const firstDay = timeline[0]?.day ?? null;
  const lastDay = timeline.at(-1)?.day ?? null;
  const speakers = shares(tally.speakers);
  return {
    version: 1,
    generatedAt: request.now,
    project: request.projectName,
    window: { since: request.since ?? null, until: request.until ?? null },
    totals: {
      messages: tally.total,
      sessions,
      speakers: tally.speakers.size,
      sources: tally.sources.size,
      activeDays: timeline.length,
      firstDay,
      lastDay,
      tokens: tokens.totals.totalTokens,
      estimatedCostUsd: tokens.totals.costUsd,
    },
    messagesBySpeaker: speakers,
    messagesByAgent: shares(tally.agents),
    messagesBySource: shares(tally.sources),
    messagesByRole: shares(tally.roles),
    timeline,
    sessionsByStatus: statuses.map((s) => ({ ...s, share: sessions === 0 ? 0 : s.sessions / sessions })),
    enrichment: enrichment.enrichment,
    domains: enrichment.domains,
    tiers: enrichment.tiers,
    tags: enrichment.tags,
    keywords: enrichment.keywords,
    tools: enrichment.tools,
    tokens,
    collaboration: collaborationScore({
      messages: tally.total,
      speakers: shares(tally.speakers, Number.MAX_SAFE_INTEGER),
      domainsSeen: enrichment.domainsSeen,
      domainsKnown: enrichment.domainsKnown,
      activeDays: timeline.length,
      spanDays: firstDay === null || lastDay === null ? 0 : (lastDay - firstDay) / day + 1,
      enriched: enrichment.enrichment.enriched,
      completelyTagged: enrichment.completelyTagged,
    }),
  };
}

type Tally = {
  total: number;
  speakers: Map<string, number>;
  agents: Map<string, number>;
  sources: Map<string, number>;
  roles: Map<string, number>;
  days: Map<number, number>;
};

function tallyMessages(rows: MessageCountRow[]): Tally {
  const tally: Tally = {
    total: 0,
    speakers: new Map(),
    agents: new Map(),
    sources: new Map(),
    roles: new Map(),
    days: new Map(),
  };
  const add = <K>(map: Map<K, number>, key: K, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  for (const r of rows) {
    tally.total += r.messages;
    add(tally.speakers, r.speaker ?? r.role, r.messages);
    if (r.role === 'assistant') add(tally.agents, r.model ?? '(model not recorded)', r.messages);
    add(tally.sources, r.source, r.messages);
    add(tally.roles, r.role, r.messages);
    if (r.day !== null) add(tally.days, r.day, r.messages);
  }
  return tally;
}

function shares(counts: Map<string, number>, limit = shownRows): Share[] {
  const whole = [...counts.values()].reduce((sum, n) => sum + n, 0);
  const rows = [...counts]
    .filter(([, n]) => n > 0)
    .map(([label, messages]) => ({ label, messages, share: whole === 0 ? 0 : messages / whole }))
    .sort((a, b) => b.messages - a.messages || (a.label < b.label ? -1 : 1));
  if (rows.length <= limit) return rows;
  const rest = rows.slice(limit - 1);
  const others = rest.reduce((sum, r) => sum + r.messages, 0);
  return [
    ...rows.slice(0, limit - 1),
    { label: `(${rest.length} others)`, messages: others, share: others / whole },
  ];
}

function zeroTokens(): TokenTotals {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationTokens: 0,
    cacheReadTokens: 0,
    totalTokens: 0,
    responses: 0,
    costUsd: 0,
  };
}

function addTokens(target: TokenTotals, row: UsageDayRow, cost: number): void {
  target.inputTokens += row.inputTokens;
  target.outputTokens += row.outputTokens;
  target.cacheCreationTokens += row.cacheCreationTokens;
  target.cacheReadTokens += row.cacheReadTokens;
  target.totalTokens += row.inputTokens + row.outputTokens + row.cacheCreationTokens + row.cacheReadTokens;
  target.responses += row.responses;
  target.costUsd += cost;
}

function tokenReport(rows: UsageDayRow[]): TokenReport {
  const totals = zeroTokens();
  const days = new Map<number, TokenTotals & { day: number }>();
  const models = new Map<string, TokenTotals & { model: string; priced: boolean }>();
  for (const row of rows) {
    const model = row.model ?? '(model not recorded)';
    const price = priceOf(row.model);
    const cost = price === null ? 0 : costOf(row, price);
    let perDay = days.get(row.day);
    if (!perDay) days.set(row.day, (perDay = { day: row.day, ...zeroTokens() }));
    let perModel = models.get(model);
    if (!perModel) models.set(model, (perModel = { model, priced: price !== null, ...zeroTokens() }));
    addTokens(totals, row, cost);
    addTokens(perDay, row, cost);
    addTokens(perModel, row, cost);
  }
  const byModel = [...models.values()].sort((a, b) => b.totalTokens - a.totalTokens);
  return {
    totals,
    days: [...days.values()].sort((a, b) => a.day - b.day),
    byModel,
    unpricedModels: byModel.filter((m) => !m.priced && m.totalTokens > 0).map((m) => m.model),
    priceTable: priceTableSource,
  };
}
