import { AgentlogError } from '../domain/errors.ts';
import type { Store, UsageRow } from '../storage/ports.ts';

export type UsageBy = 'day' | 'model' | 'session';

export type UsageTotals = {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
};

/** The `--json` contract of `agentlog stats usage`. */
export type UsageReport = {
  by: UsageBy;
  timezone: string;
  totals: UsageTotals;
  rows: (UsageTotals & { key: string; responses: number })[];
};

const zero = (): UsageTotals => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheCreationTokens: 0,
  cacheReadTokens: 0,
  totalTokens: 0,
});

function add(target: UsageTotals & { responses?: number }, row: UsageRow): void {
  target.inputTokens += row.inputTokens;
  target.outputTokens += row.outputTokens;
  target.cacheCreationTokens += row.cacheCreationTokens;
  target.cacheReadTokens += row.cacheReadTokens;
  target.totalTokens += row.inputTokens + row.outputTokens + row.cacheCreationTokens + row.cacheReadTokens;
  if (target.responses !== undefined) target.responses += row.responses;
}

/** UTC under its IANA names: its days need no time zone data (ICU's costs ~10-30 ms to load). */
const utcNames = /^(etc\/)?(utc|uct|gmt|universal|zulu)$/i;

/** The local day (YYYY-MM-DD) of an instant in the time zone; an unknown zone is refused. */
export function dayKeyIn(timezone: string): (ms: number) => string {
  if (utcNames.test(timezone)) return (ms) => new Date(ms).toISOString().slice(0, 10);
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
  } catch {
    throw new AgentlogError('INVALID_ARGUMENT', `Unknown time zone "${timezone}".`, {
      hint: 'Use an IANA name such as UTC, Europe/Paris or America/New_York.',
    });
  }
  return (ms) => format.format(ms);
}

/**
 * Token usage grouped by local day, model or session. The store sums per 15-minute bucket (every
 * time zone offset is a multiple of 15 minutes), so days in any zone come out exact.
 */
export async function usageReport(
  store: Store,
  projectId: number,
  options: { by: UsageBy; timezone: string; source?: string },
): Promise<UsageReport> {
  const dayKey = dayKeyIn(options.timezone);
  const groupBy = options.by === 'day' ? 'bucket' : options.by;
  const stored = await store.usage({
    projectId,
    groupBy,
    ...(options.source ? { source: options.source } : {}),
  });
  const rows = new Map<string, UsageTotals & { key: string; responses: number }>();
  const totals = zero();
  for (const row of stored) {
    const key = options.by === 'day' ? dayKey(Number(row.key)) : row.key;
    let target = rows.get(key);
    if (!target) {
      target = { key, ...zero(), responses: 0 };
      rows.set(key, target);
    }
    add(target, row);
    add(totals, row);
  }
  const sorted = [...rows.values()].sort((a, b) =>
    options.by === 'day' ? (a.key < b.key ? -1 : 1) : b.totalTokens - a.totalTokens,
  );
  return { by: options.by, timezone: options.timezone, totals, rows: sorted };
}
