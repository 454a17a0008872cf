import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.ts';

/** One day of usage, as both tools report it. */
export type DayRow = {
  date: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
};

export type UsageByDay = { totals: Omit<DayRow, 'date'>; days: DayRow[] };

const require = createRequire(import.meta.url);
const ccusageCli = (() => {
  try {
    return require.resolve('ccusage/src/cli.js');
  } catch {
    return null;
  }
})();

/** Whether the ccusage devDependency (a native binary behind a small Node wrapper) runs here. */
export const ccusageMissing: string | null = (() => {
  if (ccusageCli === null) return 'the ccusage devDependency is not installed (run npm install)';
  const run = spawnSync(process.execPath, [ccusageCli, '--version'], { encoding: 'utf8' });
  return run.status === 0 ? null : `ccusage does not run here: ${(run.stderr || run.stdout).trim()}`;
})();

const counts = (r: Record<string, number>) => ({
  inputTokens: r.inputTokens ?? NaN,
  outputTokens: r.outputTokens ?? NaN,
  cacheCreationTokens: r.cacheCreationTokens ?? NaN,
  cacheReadTokens: r.cacheReadTokens ?? NaN,
  totalTokens: r.totalTokens ?? NaN,
});

/**
 * `ccusage claude daily` over `configDir/projects`, reading nothing else: HOME is an empty
 * directory, prices come from its offline snapshot, and the system zone is UTC.
 */
export function ccusageDaily(configDir: string, timezone: string): UsageByDay {
  const home = mkdtempSync(join(tmpdir(), 'agentlog-ccusage-home-'));
  try {
    const run = spawnSync(
      process.execPath,
      [ccusageCli!, 'claude', 'daily', '--json', '--offline', '--timezone', timezone],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: home, TZ: 'UTC', NO_COLOR: '1', CLAUDE_CONFIG_DIR: configDir },
      },
    );
    if (run.status !== 0) throw new Error(`ccusage failed (${run.status}): ${run.stderr}`);
    const out = JSON.parse(run.stdout) as {
      daily: (Record<string, number> & { date: string })[];
      totals: Record<string, number>;
    };
    return { totals: counts(out.totals), days: out.daily.map((d) => ({ date: d.date, ...counts(d) })) };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** `agentlog import claude` of `configDir/projects` into a fresh store, then `stats usage --json`. */
export async function agentlogDaily(
  configDir: string,
  dataDir: string,
  timezones: string[],
): Promise<Map<string, UsageByDay>> {
  const imported = await runCli([
    '--data-dir',
    dataDir,
    'import',
    'claude',
    join(configDir, 'projects'),
    '--json',
  ]);
  if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
  const byZone = new Map<string, UsageByDay>();
  for (const timezone of timezones) {
    const run = await runCli([
      '--data-dir',
      dataDir,
      'stats',
      'usage',
      '--by',
      'day',
      '--timezone',
      timezone,
      '--json',
    ]);
    if (run.code !== 0) throw new Error(`stats usage failed: ${run.stderr}`);
    const report = JSON.parse(run.stdout) as {
      totals: Record<string, number>;
      rows: (Record<string, number> & { key: string })[];
    };
    byZone.set(timezone, {
      totals: counts(report.totals),
      days: report.rows.map((r) => ({ date: r.key, ...counts(r) })),
    });
  }
  return byZone;
}
