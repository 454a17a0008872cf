import type { SessionStatus } from './session.ts';

/** One change of a session's status, kept with when and why it happened. */
export type SessionTransition = {
  sessionId: string;
  from: SessionStatus;
  to: SessionStatus;
  reason: string;
  at: number;
};

/** A requested change: applied only when the session's current status is one of `from`. */
export type SessionTransitionRequest = {
  sessionId: string;
  from: readonly SessionStatus[];
  to: SessionStatus;
  reason: string;
  at: number;
};

/**
 * Why a completed session became active again: the write path records it when new messages arrive
 * for the session (it is then stopped and completed anew, see SessionLifecycle).
 */
export const reopenReason = 'new messages arrived after completion';
