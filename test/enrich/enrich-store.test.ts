import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAgentlog } from '../../src/agentlog.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { EnrichmentValues } from '../../src/domain/enrichment.ts';
import type { Message } from '../../src/domain/message.ts';
import type { EnrichSummary } from '../../src/enrich/enrich-stored.ts';
import { topKeywords } from '../../src/enrich/keywords.ts';
import { runCli } from '../support/run-cli.ts';
import { projectRoot } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const fixtures = join(projectRoot, 'test/fixtures/claude-code/projects');

async function importFixtures(): Promise<string> {
  const dir = tempDir();
  const result = await runCli(['--data-dir', dir, 'import', 'claude', fixtures, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return dir;
}

async function withStore<T>(dir: string, run: (a: Awaited<ReturnType<typeof createAgentlog>>) => Promise<T>) {
  const agentlog = await createAgentlog(loadConfig({ flags: { dataDir: dir }, env: {}, home: dir }));
  try {
    return await run(agentlog);
  } finally {
    await agentlog.close();
  }
}

async function allMessages(agentlog: Awaited<ReturnType<typeof createAgentlog>>): Promise<Message[]> {
  const out: Message[] = [];
  for await (const m of agentlog.store.messagesToEnrich({ projectId: agentlog.project.id })) out.push(m);
  return out;
}

describe('enrichment in the store', () => {
  it('is written with each message at ingest, and counted by facet', async () => {
    const dir = await importFixtures();
    await withStore(dir, async (agentlog) => {
      const messages = await allMessages(agentlog);
      expect(messages.length).toBeGreaterThan(10);
      const stored = await agentlog.store.enrichments(messages.map((m) => m.id));
      expect(stored.size).toBe(messages.length);
      const first = stored
        .get(messages[0]!.id)!
        .map((r) => r.enricher)
        .sort();
      expect(first).toEqual([
        'domain',
        'hash',
        'language',
        'redaction',
        'tags',
        'terms',
        'tier',
        'tokens',
        'tools',
      ]);
      const tokens = stored.get(messages[0]!.id)!.find((r) => r.enricher === 'tokens')!;
      expect(tokens).toMatchObject({ version: 0, value: { estimated: true } });

      const projectId = agentlog.project.id;
      const tiers = await agentlog.store.facetCounts({ projectId, facet: 'tier' });
      expect(tiers.reduce((sum, t) => sum + t.messages, 0)).toBe(messages.length);
      const tools = await agentlog.store.facetCounts({ projectId, facet: 'tool' });
      expect(tools.map((t) => t.label)).toEqual(expect.arrayContaining(['Read', 'Glob']));
      const domains = await agentlog.store.facetCounts({ projectId, facet: 'domain', limit: 3 });
      expect(domains.length).toBeGreaterThan(0);
      expect(domains.length).toBeLessThanOrEqual(3);
      const totals = await agentlog.store.termTotals({ projectId });
      expect(totals.documents).toBe(messages.length);
      expect(totals.terms.length).toBeGreaterThan(0);
      expect((await topKeywords(agentlog.store, { projectId, keywords: 5 })).length).toBe(5);
    });
  });

  it('agentlog enrich counts tokens exactly, adds keywords, and then has nothing left to do', async () => {
    const dir = await importFixtures();
    const first = await runCli(['--data-dir', dir, 'enrich', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout) as EnrichSummary;
    expect(summary.messages).toBeGreaterThan(10);
    expect(summary.failures).toBe(0);
    expect(summary.enrichers.map((e) => e.name)).toContain('keywords');

    const again = JSON.parse((await runCli(['--data-dir', dir, 'enrich', '--json'])).stdout) as EnrichSummary;
    expect(again.messages).toBe(0);
    const all = JSON.parse(
      (await runCli(['--data-dir', dir, 'enrich', '--all', '--json'])).stdout,
    ) as EnrichSummary;
    expect(all.messages).toBe(summary.messages);
    const future = await runCli(['--data-dir', dir, 'enrich', '--since', '2999-01-01', '--json']);
    expect((JSON.parse(future.stdout) as EnrichSummary).messages).toBe(0);

    await withStore(dir, async (agentlog) => {
      const messages = await allMessages(agentlog);
      const stored = await agentlog.store.enrichments(messages.map((m) => m.id));
      const withText = messages.find((m) => m.text.split(' ').length > 8)!;
      const results = stored.get(withText.id)!;
      expect(results.find((r) => r.enricher === 'tokens')).toMatchObject({
        version: 1,
        value: { estimated: false },
      });
      const keywords = results.find((r) => r.enricher === 'keywords')!.value as EnrichmentValues['keywords'];
      expect(keywords.keywords.length).toBeGreaterThan(0);
      // Re-enrichment does not count a message twice in the document frequencies.
      expect((await agentlog.store.termTotals({ projectId: agentlog.project.id })).documents).toBe(
        messages.length,
      );
    });
  });

  it('explains a bad --since', async () => {
    const dir = tempDir();
    const result = await runCli(['--data-dir', dir, 'enrich', '--since', 'last tuesday']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--since takes epoch ms or an ISO 8601 date');
  });
});
