import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dayKeyIn, type UsageReport, type UsageTotals } from '../../src/analytics/usage-report.ts';
import { AgentlogError } from '../../src/domain/errors.ts';
import { runCli } from '../support/run-cli.ts';
import { ownFixtures } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const intlDay = (timezone: string, ms: number) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(ms);

/** Instants around midnights and DST changes, and a spread over several years. */
const instants = [
  Date.UTC(2026, 3, 1, 23, 59, 59, 999),
  Date.UTC(2026, 3, 2, 0, 0, 0, 0),
  Date.UTC(2026, 2, 29, 0, 45),
  Date.UTC(2025, 9, 26, 0, 15),
  Date.UTC(2024, 1, 29, 12),
  ...Array.from({ length: 200 }, (_, i) => Date.UTC(2023, 0, 1) + i * 7_654_321_000),
];

describe('usage report days', () => {
  it('in UTC, under any of its names, are the days Intl gives', () => {
    for (const name of ['UTC', 'utc', 'Etc/UTC', 'GMT', 'Etc/GMT', 'UCT', 'Universal', 'Zulu']) {
      const dayKey = dayKeyIn(name);
      for (const ms of instants) expect(dayKey(ms), `${name} ${ms}`).toBe(intlDay('UTC', ms));
    }
  });

  it('in other zones are the local days, offsets and daylight saving included', () => {
    for (const name of ['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe']) {
      const dayKey = dayKeyIn(name);
      for (const ms of instants) expect(dayKey(ms), `${name} ${ms}`).toBe(intlDay(name, ms));
    }
    // 23:30 UTC on 1 April is 2 April in Paris (UTC+2).
    expect(dayKeyIn('Europe/Paris')(Date.UTC(2026, 3, 1, 23, 30))).toBe('2026-04-02');
  });

  it('refuses an unknown zone', () => {
    expect(() => dayKeyIn('Mars/Olympus_Mons')).toThrow(AgentlogError);
    expect(() => dayKeyIn('UTC+5')).toThrow(AgentlogError);
  });
});

describe('agentlog stats usage as a table', () => {
  const tempDir = useTempDirs();

  it('prints the JSON report’s rows with thousands separators', async () => {
    const dataDir = tempDir();
    const projects = join(ownFixtures, 'usage', 'streaming', 'projects');
    expect((await runCli(['--data-dir', dataDir, 'import', 'claude', projects, '--json'])).code).toBe(0);
    const args = ['--data-dir', dataDir, 'stats', 'usage', '--by', 'model', '--timezone', 'UTC'];
    const report = JSON.parse((await runCli([...args, '--json'])).stdout) as UsageReport;
    expect(report.totals.cacheReadTokens).toBeGreaterThan(1000);
    const table = (await runCli(args)).stdout.trimEnd().split('\n');
    const cells = (t: UsageTotals) =>
      [t.inputTokens, t.outputTokens, t.cacheCreationTokens, t.cacheReadTokens, t.totalTokens].map((n) =>
        n.toLocaleString('en-US'),
      );
    expect(table.slice(1).map((line) => line.trim().split(/\s{2,}/))).toEqual([
      ...report.rows.map((r) => [r.key, ...cells(r)]),
      ['Total', ...cells(report.totals)],
    ]);
  });
});
