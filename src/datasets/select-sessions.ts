import { AgentlogError } from '../domain/errors.ts';
import type { SessionReadiness, Store } from '../storage/ports.ts';
import { matchesFilter, narrowingOf, parseSessionFilter } from './session-filter.ts';

/** Names listed in an error at most ("… and 12 more"). */
const named = 10;

function list(items: readonly string[]): string {
  const shown = items.slice(0, named).join(', ');
  return items.length > named ? `${shown} and ${items.length - named} more` : shown;
}

/**
 * Session ids for the refs a user gave (ids, unique prefixes, or their own session ids), in the
 * order given. Unknown or ambiguous refs, or one session named twice, fail the whole request.
 */
export async function resolveSessionRefs(
  store: Store,
  projectId: number,
  refs: readonly string[],
): Promise<string[]> {
  const ids: string[] = [];
  const missing: string[] = [];
  const ambiguous: string[] = [];
  for (const ref of refs) {
    const found = await store.findSessions(projectId, ref);
    if (found.length === 1) ids.push(found[0]!.id);
    else if (found.length === 0) missing.push(ref);
    else ambiguous.push(`${ref} (${found.length} sessions)`);
  }
  if (missing.length > 0)
    throw new AgentlogError('NOT_FOUND', `No session matches ${list(missing)}.`, {
      hint: 'See `npx agentlog sessions list`; ids may be shortened to a unique prefix.',
    });
  if (ambiguous.length > 0)
    throw new AgentlogError('AMBIGUOUS', `These refs match several sessions: ${list(ambiguous)}.`, {
      hint: 'Give more characters of each id.',
    });
  const seen = new Set<string>();
  const twice = ids.filter((id) => seen.size === seen.add(id).size);
  if (twice.length > 0)
    throw new AgentlogError(
      'INVALID_ARGUMENT',
      `These sessions are named more than once: ${list([...new Set(twice)])}.`,
      {
        hint: 'Name each session once.',
      },
    );
  return ids;
}

/**
 * Whether a session has finished processing: completed, or imported with every message enriched
 * (a historical transcript counts once imported and enriched).
 */
export function isFinished(readiness: SessionReadiness): boolean {
  if (readiness.status === 'completed') return true;
  return readiness.status === 'imported' && readiness.unenriched === 0;
}

function why(readiness: SessionReadiness): string {
  if (readiness.status === 'imported')
    return `${readiness.sessionId} (imported; ${readiness.unenriched} of ${readiness.messages} messages not enriched)`;
  return `${readiness.sessionId} (${readiness.status ?? 'missing'})`;
}

/** Refuses the whole request when one session has not finished processing, naming each. */
export async function requireFinished(
  store: Store,
  projectId: number,
  ids: readonly string[],
): Promise<void> {
  const readiness = await store.sessionReadiness(projectId, ids);
  const waiting = readiness.filter((r) => !isFinished(r));
  if (waiting.length === 0) return;
  throw new AgentlogError(
    'CONFLICT',
    `${waiting.length} session${waiting.length === 1 ? ' has' : 's have'} not finished processing: ${list(waiting.map(why))}. Only sessions that finished processing can be added.`,
    {
      hint: 'Stop live sessions and let their completion run (npx agentlog jobs list); enrich imported ones (npx agentlog enrich).',
    },
  );
}

/** Sessions read per page while a filter is applied. */
const page = 500;

/**
 * The finished sessions a filter selects, in id order, and how many matched but have not
 * finished. The store narrows by source, status and start time; the rest is checked per session.
 */
export async function sessionsMatching(
  store: Store,
  projectId: number,
  filterText: string,
  now: number,
): Promise<{ ids: string[]; notFinished: number }> {
  const filter = parseSessionFilter(filterText, now);
  const narrow = narrowingOf(filter);
  const matched: string[] = [];
  let after: { startedAt: number; id: string } | undefined;
  for (;;) {
    const batch = await store.listSessions({
      projectId,
      ...narrow,
      limit: page,
      ...(after ? { after } : {}),
    });
    for (const session of batch) {
      const labels = filter.needsLabels
        ? await store.sessionTopLabels(session.id, ['domain', 'tier'])
        : undefined;
      if (matchesFilter(filter, { session, ...(labels ? { labels } : {}) })) matched.push(session.id);
    }
    const last = batch.at(-1);
    if (last === undefined || batch.length < page) break;
    after = { startedAt: last.startedAt ?? 0, id: last.id };
  }
  const ids: string[] = [];
  let notFinished = 0;
  for (let i = 0; i < matched.length; i += page) {
    for (const r of await store.sessionReadiness(projectId, matched.slice(i, i + page))) {
      if (isFinished(r)) ids.push(r.sessionId);
      else notFinished++;
    }
  }
  return { ids: ids.sort(), notFinished };
}
