import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectReport } from '../../src/analytics/report/collect-report.ts';
import { collaborationScore } from '../../src/analytics/report/collaboration-score.ts';
import { costOf, priceOf } from '../../src/analytics/report/price-table.ts';
import type { Report } from '../../src/analytics/report/report-contract.ts';
import { reportFileName } from '../../src/analytics/report/write-report.ts';
import type { MessageEnrichment } from '../../src/domain/enrichment.ts';
import type { Store } from '../../src/storage/ports.ts';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { runCli } from '../support/run-cli.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { writeBare, type SeedMessage } from './seed.ts';

const day = 86_400_000;
const t0 = Date.UTC(2025, 4, 1);

/** Two sessions over three days: alice and bob ask, two models answer; one day has no message. */
function conversation(): SeedMessage[] {
  return [
    {
      session: 's1',
      id: 'm1',
      role: 'user',
      speaker: 'alice',
      text: 'plan the schema',
      timestamp: t0 + 9 * 3_600_000,
    },
    {
      session: 's1',
      id: 'm2',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      text: 'here is the schema',
      timestamp: t0 + 10 * 3_600_000,
      usage: { input: 1_000_000, output: 100_000 },
    },
    {
      session: 's1',
      id: 'm3',
      role: 'user',
      speaker: 'bob',
      text: 'add tests',
      timestamp: t0 + 23 * 3_600_000,
    },
    {
      session: 's2',
      id: 'm4',
      role: 'assistant',
      model: 'mystery-model-1',
      text: 'tests added',
      timestamp: t0 + 2 * day + 60_000,
      usage: { input: 500, output: 50 },
    },
    { session: 's2', id: 'm5', role: 'user', text: 'thanks', timestamp: t0 + 2 * day + 120_000 },
    { session: 's2', id: 'm6', role: 'user', text: 'no time', timestamp: null },
  ];
}

async function open(dir: string): Promise<{ store: Store; projectId: number }> {
  const store = new SqliteStore(join(dir, 'agentlog.db'));
  const project = await store.ensureProject('default');
  return { store, projectId: project.id };
}

const report = (store: Store, projectId: number, window: { since?: number; until?: number } = {}) =>
  collectReport(store, { projectId, projectName: 'default', now: t0 + 10 * day, ...window });

const labels = (r: Report, key: 'messagesBySpeaker' | 'messagesByAgent' | 'messagesBySource') =>
  Object.fromEntries(r[key].map((s) => [s.label, s.messages]));

describe('collectReport', () => {
  const tempDir = useTempDirs();

  it('counts messages by speaker, agent, source, day and session status; prices known models only', async () => {
    const { store, projectId } = await open(tempDir());
    await writeBare(store, projectId, 'api', conversation());
    const r = await report(store, projectId);
    expect(r.totals).toMatchObject({ messages: 6, sessions: 2, speakers: 4, sources: 1, activeDays: 2 });
    expect(r.totals.firstDay).toBe(t0);
    expect(r.totals.lastDay).toBe(t0 + 2 * day);
    expect(labels(r, 'messagesBySpeaker')).toEqual({ alice: 1, bob: 1, assistant: 2, user: 2 });
    expect(labels(r, 'messagesByAgent')).toEqual({ 'claude-sonnet-4-5': 1, 'mystery-model-1': 1 });
    expect(r.timeline).toEqual([
      { day: t0, messages: 3 },
      { day: t0 + 2 * day, messages: 2 },
    ]);
    expect(r.sessionsByStatus).toEqual([{ status: 'imported', sessions: 2, share: 1 }]);
    // Sonnet: 1M input at $3 + 100k output at $15 = $4.50; the unknown model adds tokens, not cost.
    expect(r.tokens.totals.costUsd).toBeCloseTo(4.5, 6);
    expect(r.tokens.totals.totalTokens).toBe(1_100_550);
    expect(r.tokens.unpricedModels).toEqual(['mystery-model-1']);
    expect(r.tokens.days.map((d) => d.day)).toEqual([t0, t0 + 2 * day]);
    await store.close();
  });

  it('says "not enriched" with counts, and scores only what it knows', async () => {
    const { store, projectId } = await open(tempDir());
    await writeBare(store, projectId, 'api', conversation());
    const r = await report(store, projectId);
    expect(r.enrichment).toEqual({ enriched: 0, notEnriched: 6, share: 0 });
    for (const section of [r.domains, r.tiers, r.tags, r.keywords, r.tools]) {
      expect(section).toMatchObject({ status: 'not_enriched', enriched: 0, notEnriched: 6, rows: [] });
    }
    const points = Object.fromEntries(r.collaboration.components.map((c) => [c.name, c.points]));
    expect(points.domainCoverage).toBe(0);
    expect(points.metadataEnrichment).toBe(0);
    expect(points.tagCompleteness).toBe(0);
    expect(points.messageConsistency).toBeCloseTo((2 / 3) * 20, 1);
    expect(points.speakerDiversity).toBeGreaterThan(19);
    expect(r.collaboration.score).toBeCloseTo(points.messageConsistency! + points.speakerDiversity!, 0);
    await store.close();
  });

  it('counts exactly at any window edge, and counts messages stored after an earlier report', async () => {
    const { store, projectId } = await open(tempDir());
    const messages = conversation();
    await writeBare(store, projectId, 'api', messages.slice(0, 3));
    expect((await report(store, projectId)).totals.messages).toBe(3);
    await writeBare(store, projectId, 'api', messages.slice(3));
    const timed = messages.filter((m) => m.timestamp !== null).map((m) => m.timestamp!);
    const windows = [
      { since: t0 + 9 * 3_600_000 + 1 },
      { until: t0 + 10 * 3_600_000 },
      { since: t0 + 3_600_000, until: t0 + 2 * day + 90_000 },
      { since: t0 + day, until: t0 + 2 * day },
      { since: t0, until: t0 + 3 * day },
      { since: t0 + 10 * 3_600_000, until: t0 + 10 * 3_600_000 + 1 },
    ];
    for (const w of windows) {
      const expected = timed.filter((t) => t >= (w.since ?? -Infinity) && t < (w.until ?? Infinity)).length;
      expect((await report(store, projectId, w)).totals.messages).toBe(expected);
    }
    expect((await report(store, projectId)).totals.messages).toBe(6);
    await store.close();
  });

  it('follows a revision that changes who wrote a message', async () => {
    const { store, projectId } = await open(tempDir());
    await writeBare(store, projectId, 'api', conversation());
    await report(store, projectId);
    const batch = {
      projectId,
      sessions: [],
      raw: [],
      usage: [],
      blobs: [],
      fileStates: [],
      messages: [
        {
          source: 'api',
          sessionExternalId: 's1',
          externalId: 'm1',
          parentExternalId: null,
          role: 'user' as const,
          kind: 'message' as const,
          speaker: { name: 'carol', role: 'member' },
          blocks: [{ type: 'text' as const, text: 'plan the schema, v2' }],
          text: 'plan the schema, v2',
          model: null,
          usage: null,
          responseId: null,
          timestamp: t0 + 9 * 3_600_000,
          seq: 0,
          contentHash: 'changed',
          meta: {},
          revisable: true,
          rawHash: null,
        },
      ],
    };
    expect((await store.write(batch)).messageStatus).toEqual(['revised']);
    const r = await report(store, projectId);
    expect(labels(r, 'messagesBySpeaker')).toEqual({ carol: 1, bob: 1, assistant: 2, user: 2 });
    await store.close();
  });

  it('reads enrichment through the store: domains, tiers, tags, tools, keywords, score', async () => {
    const { store, projectId } = await open(tempDir());
    await writeBare(store, projectId, 'api', conversation());
    const ids: number[] = [];
    for await (const m of store.scanMessages({ projectId })) ids.push(m.id);
    const enrich = (
      domain: string,
      tier: string,
      tool: string | null,
      failed: boolean,
    ): MessageEnrichment => ({
      results: [{ enricher: 'tier', version: 1, value: { tier }, error: null }],
      labels: [
        { facet: 'domain', label: domain, rank: 0 },
        { facet: 'tier', label: tier, rank: 0 },
        { facet: 'tag', label: '@Status-Done', rank: 0 },
        { facet: 'tag', label: domain === 'other' ? '@Chain-Other' : '@Chain-Testing', rank: 1 },
        { facet: 'tag', label: `@Tier-${tier}`, rank: 2 },
        ...(tool === null ? [] : [{ facet: 'tool' as const, label: tool, rank: 0 }]),
        ...(failed && tool !== null ? [{ facet: 'tool_error' as const, label: tool, rank: 0 }] : []),
      ],
      facets: ['domain', 'tier', 'tag', 'tool', 'tool_error'],
      terms: [{ term: `${domain}word`, count: 3 }],
    });
    await store.writeEnrichments(projectId, [
      { messageId: ids[0]!, enrichment: enrich('testing_validation', 'execution', 'Bash', false) },
      { messageId: ids[1]!, enrichment: enrich('testing_validation', 'execution', 'Bash', true) },
      { messageId: ids[2]!, enrichment: enrich('other', 'collaborative', null, false) },
    ]);
    const r = await report(store, projectId);
    expect(r.enrichment).toEqual({ enriched: 3, notEnriched: 3, share: 0.5 });
    expect(r.domains.status).toBe('ok');
    expect(r.domains.rows).toEqual([
      { label: 'testing_validation', messages: 2, share: 2 / 3 },
      { label: 'other', messages: 1, share: 1 / 3 },
    ]);
    expect(r.tiers.rows.map((t) => [t.label, t.messages])).toEqual([
      ['execution', 2],
      ['collaborative', 1],
    ]);
    expect(r.tools).toMatchObject({ calls: 2, failures: 1, failureRate: 0.5 });
    expect(r.tools.rows).toEqual([{ tool: 'Bash', calls: 2, failures: 1, failureRate: 0.5 }]);
    expect(r.keywords.rows.map((k) => k.term).sort()).toEqual(['otherword', 'testing_validationword']);
    const points = Object.fromEntries(r.collaboration.components.map((c) => [c.name, c.value]));
    expect(points.metadataEnrichment).toBe(0.5);
    expect(points.tagCompleteness).toBeCloseTo(2 / 6, 4);
    expect(points.domainCoverage).toBeCloseTo(1 / 10, 4);
    await store.close();
  });
});

describe('collaborationScore', () => {
  it('gives 20 points per component and 100 for a perfect record', () => {
    const perfect = collaborationScore({
      messages: 10,
      speakers: [
        { label: 'a', messages: 5, share: 0.5 },
        { label: 'b', messages: 5, share: 0.5 },
      ],
      domainsSeen: 10,
      domainsKnown: 10,
      activeDays: 3,
      spanDays: 3,
      enriched: 10,
      completelyTagged: 10,
    });
    expect(perfect.score).toBe(100);
    expect(perfect.components.map((c) => c.points)).toEqual([20, 20, 20, 20, 20]);
    const empty = collaborationScore({
      messages: 0,
      speakers: [],
      domainsSeen: 0,
      domainsKnown: 10,
      activeDays: 0,
      spanDays: 0,
      enriched: 0,
      completelyTagged: 0,
    });
    expect(empty.score).toBe(0);
  });
});

describe('price table', () => {
  it('prices model families and leaves unknown models unpriced', () => {
    expect(priceOf('claude-opus-4-5-20251101')?.family).toBe('claude-opus-4.5');
    expect(priceOf('claude-opus-4-1-20250805')?.family).toBe('claude-opus-4');
    expect(priceOf('claude-3-5-sonnet-20241022')?.family).toBe('claude-sonnet');
    expect(priceOf('claude-haiku-4-5')?.family).toBe('claude-haiku-4.5');
    expect(priceOf('gpt-5-codex')?.family).toBe('gpt-5');
    expect(priceOf('gpt-5-mini')?.family).toBe('gpt-5-mini');
    expect(priceOf('gpt-4o-mini-2024-07-18')?.family).toBe('gpt-4o-mini');
    expect(priceOf('o4-mini')?.family).toBe('o4-mini');
    expect(priceOf('gemini-2.5-flash-lite')?.family).toBe('gemini-2.5-flash-lite');
    expect(priceOf('gemini-2.5-pro')?.family).toBe('gemini-2.5-pro');
    expect(priceOf('llama-3-70b')).toBeNull();
    expect(priceOf(null)).toBeNull();
    const sonnet = priceOf('claude-sonnet-4-5')!;
    const tokens = {
      inputTokens: 2_000_000,
      outputTokens: 0,
      cacheCreationTokens: 0,
      cacheReadTokens: 1_000_000,
    };
    expect(costOf(tokens, sonnet)).toBeCloseTo(6.3, 6);
  });
});

describe('agentlog report', () => {
  const tempDir = useTempDirs();

  it('writes json, md and html files named by the time, and prints the report with --json', async () => {
    const dir = tempDir();
    const { store, projectId } = await open(dir);
    await writeBare(store, projectId, 'api', conversation());
    await store.close();
    const out = join(dir, 'out');
    const result = await runCli(['--data-dir', dir, 'report', '--out', out, '--json']);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as { report: Report; files: string[]; alert: null };
    expect(printed.report.totals.messages).toBe(6);
    expect(printed.alert).toBeNull();
    expect(printed.files.map((f) => f.slice(out.length + 1)).sort()).toEqual(
      ['html', 'json', 'md'].map((f) => reportFileName(printed.report.generatedAt, f as 'json')),
    );
    expect(reportFileName(Date.UTC(2025, 0, 2, 3, 4, 5), 'md')).toBe('analytics_report_20250102_030405.md');
    const json = JSON.parse(
      readFileSync(
        printed.files.find((f) => f.endsWith('.json'))!,
        'utf8',
      ),
    ) as Report;
    expect(json).toEqual(printed.report);
    const html = readFileSync(
      printed.files.find((f) => f.endsWith('.html'))!,
      'utf8',
    );
    expect(html).toContain('<svg');
    expect(html).toContain('Not enriched yet: 6 messages');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const md = readFileSync(
      printed.files.find((f) => f.endsWith('.md'))!,
      'utf8',
    );
    expect(md).toContain('## Collaboration score');
    expect(md).toContain('| claude-sonnet-4-5 |');
  });

  it('writes only the formats asked for, into <data dir>/reports by default', async () => {
    const dir = tempDir();
    const result = await runCli(['--data-dir', dir, 'report', '--format', 'md', '--since', '2025-05-01']);
    expect(result.code).toBe(0);
    const files = readdirSync(join(dir, 'reports'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^analytics_report_\d{8}_\d{6}\.md$/);
    expect(existsSync(result.stdout.trim())).toBe(true);
    const bad = await runCli(['--data-dir', dir, 'report', '--format', 'pdf']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format takes json, md or html');
  });
});
