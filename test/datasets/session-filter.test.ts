import { describe, expect, it } from 'vitest';
import type { Session } from '../../src/domain/session.ts';
import { matchesFilter, narrowingOf, parseSessionFilter } from '../../src/datasets/session-filter.ts';

const now = Date.UTC(2026, 5, 1);
const session = (extra: Partial<Session>): Session =>
  ({
    id: 'ses_abc',
    externalId: 'ext-1',
    source: 'claude-code',
    status: 'completed',
    models: ['claude-sonnet'],
    title: 'Fix the build script',
    cwd: '/work/app',
    gitBranch: 'main',
    messageCount: 12,
    startedAt: Date.UTC(2026, 1, 3),
    ...extra,
  }) as Session;

describe('the session filter language', () => {
  it('selects by source, message count and start date', () => {
    const filter = parseSessionFilter('source=claude-code and messages>=4 and since=2026-01-01', now);
    expect(matchesFilter(filter, { session: session({}) })).toBe(true);
    expect(matchesFilter(filter, { session: session({ source: 'codex' }) })).toBe(false);
    expect(matchesFilter(filter, { session: session({ messageCount: 3 }) })).toBe(false);
    expect(matchesFilter(filter, { session: session({ startedAt: Date.UTC(2025, 11, 31) }) })).toBe(false);
    expect(narrowingOf(filter)).toEqual({ source: 'claude-code', since: Date.UTC(2026, 0, 1) });
  });

  it('takes lists, negation, contains (any case), quoted values, labels and start comparisons', () => {
    const filter = parseSessionFilter(
      'source=claude-code,codex and status!=failed and title~"THE BUILD" and domain=debugging and started<2026-03-01',
      now,
    );
    expect(filter.needsLabels).toBe(true);
    const labels = { domain: 'debugging', tier: null };
    expect(matchesFilter(filter, { session: session({ source: 'codex' }), labels })).toBe(true);
    expect(matchesFilter(filter, { session: session({}), labels: { domain: 'ui_ux', tier: null } })).toBe(
      false,
    );
    expect(matchesFilter(filter, { session: session({ status: 'failed' }), labels })).toBe(false);
    expect(matchesFilter(filter, { session: session({ title: 'Refactor' }), labels })).toBe(false);
  });

  it.each([
    ['', 'column 1: the filter is empty'],
    ['messages>>4', 'column 10: "messages" takes a whole number, not ">4"'],
    ['source', 'column 7: expected an operator'],
    ['colour=red', 'column 1: unknown field "colour"'],
    ['source=a or source=b', 'column 10: expected "and" between clauses, found "or"'],
    ['since>=2026-01-01', 'column 6: write since=DATE (or started>=DATE)'],
    ['started>=yesterday', 'column 10: "yesterday" is not a date'],
    ['title="open', 'column 7: the quoted value is not closed'],
    ['messages~4', 'column 9: "messages" takes a comparison, not ~'],
  ])('refuses %j with where and why', (text, message) => {
    expect(() => parseSessionFilter(text, now)).toThrow(message);
  });

  it('shows the place of the error and the fields in the hint', () => {
    try {
      parseSessionFilter('source=x and bogus=1', now);
      expect.unreachable();
    } catch (error) {
      expect((error as { hint: string }).hint).toContain('source=x and bogus=1\n               ^');
      expect((error as { hint: string }).hint).toContain('Fields: source, status');
    }
  });
});
