import { AgentlogError } from '../domain/errors.ts';

const dateTime = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;
const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `90s`, `15m`, `6h`, `30d`, `2w` in milliseconds; null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(text.trim());
  if (match === null) return null;
  const ms = Number(match[1]) * units[match[2]!.toLowerCase()]!;
  return ms > 0 ? ms : null;
}

/**
 * A point in time given on the command line: epoch ms, an ISO 8601 date or date-time (a date
 * alone is midnight UTC), or a duration meaning that long before `now` (`7d`).
 */
export function parseTimePoint(text: string, flag: string, now: number): number {
  const trimmed = text.trim();
  if (/^\d{10,}$/.test(trimmed)) return Number(trimmed);
  const ago = parseDuration(trimmed);
  if (ago !== null) return now - ago;
  const match = dateTime.exec(trimmed);
  if (match !== null) {
    // Without a zone the time is UTC, as in every report and export.
    const zone = (match[3] ?? 'Z').replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
    const ms = Date.parse(`${match[1]}T${match[2] ?? '00:00:00'}${zone}`);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new AgentlogError('INVALID_ARGUMENT', `${flag} does not take "${text}".`, {
    hint: `Give a date (2025-01-31), a date-time (2025-01-31T12:00:00Z), epoch milliseconds, or a duration ago (7d, 12h).`,
  });
}

/** The window of `--since`/`--until`; refused when it is empty. */
export function parseWindow(
  options: { since?: string; until?: string },
  now: number,
): { since?: number; until?: number } {
  const since = options.since === undefined ? undefined : parseTimePoint(options.since, '--since', now);
  const until = options.until === undefined ? undefined : parseTimePoint(options.until, '--until', now);
  if (since !== undefined && until !== undefined && since >= until) {
    throw new AgentlogError('INVALID_ARGUMENT', '--since must be before --until.');
  }
  return { ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }) };
}
