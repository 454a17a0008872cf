import type { Principal } from '../auth/api-keys.ts';
import { AgentlogError } from '../domain/errors.ts';
import { sessionIdFor } from '../domain/ids.ts';
import type { Session } from '../domain/session.ts';
import type { SessionTransition } from '../domain/session-transition.ts';
import { apiSource } from '../ingest/api-messages.ts';
import type { SessionLifecycle } from '../jobs/session-lifecycle.ts';
import type { Store } from '../storage/ports.ts';

/**
 * A session of the key's project by our id (`ses_...`) or, for sessions sent through the API,
 * by the client's own session id. Another project's session is "not found", like a missing one.
 */
export async function findSession(store: Store, principal: Principal, ref: string): Promise<Session | null> {
  const direct = await store.getSession(ref);
  if (direct !== null && direct.projectId === principal.projectId) return direct;
  const byClientId = await store.getSession(sessionIdFor(principal.projectId, apiSource, ref));
  return byClientId !== null && byClientId.projectId === principal.projectId ? byClientId : null;
}

export async function requireSession(store: Store, principal: Principal, ref: string): Promise<Session> {
  const session = await findSession(store, principal, ref);
  if (session === null) {
    throw new AgentlogError('NOT_FOUND', `No session "${ref}" in project ${principal.projectName}.`, {
      hint: 'Use the id from GET /v1/sessions, or the session id your client sent.',
    });
  }
  return session;
}

export type StopOutcome =
  | { status: 'stopped'; session: Session; transition: SessionTransition }
  | { status: 'already_stopped'; session: Session }
  | { status: 'not_found' }
  | { status: 'not_active'; session: Session };

/**
 * Moves an active session to `stopped`, recording when and why, and queues its completion;
 * stopping twice changes nothing.
 */
export async function stopSession(
  store: Store,
  lifecycle: SessionLifecycle,
  principal: Principal,
  ref: string,
  reason: string,
): Promise<StopOutcome> {
  const session = await findSession(store, principal, ref);
  if (session === null) return { status: 'not_found' };
  const transition = await lifecycle.stop(session, reason, 'client');
  const current = (await store.getSession(session.id)) ?? session;
  if (transition !== null) return { status: 'stopped', session: current, transition };
  return current.status === 'stopped'
    ? { status: 'already_stopped', session: current }
    : { status: 'not_active', session: current };
}

/** The answer to a stop that could not happen. */
export function stopFailure(
  ref: string,
  outcome: Extract<StopOutcome, { status: 'not_found' | 'not_active' }>,
): AgentlogError {
  if (outcome.status === 'not_found') return new AgentlogError('NOT_FOUND', `No session "${ref}".`);
  return new AgentlogError(
    'CONFLICT',
    `Session ${outcome.session.id} is ${outcome.session.status}; only an active session can be stopped.`,
  );
}
