import { AgentlogError } from '../../domain/errors.ts';

/**
 * The parts of the Store port the PostgreSQL adapter does not implement yet, each with the
 * feature it leaves out. Calling one throws UNSUPPORTED (HTTP 501), so the gap is loud, never a
 * silent empty answer. The store contract suite lists the same gaps.
 */
export const pgStoreGaps = {
  archives: [
    'planCheckpoint',
    'archivedMessages',
    'archivedRawRecords',
    'recordCheckpoint',
    'listCheckpoints',
    'markCheckpointVerified',
    'applyRetention',
  ],
} as const;

export type PgStoreGap = (typeof pgStoreGaps)[keyof typeof pgStoreGaps][number];

function gap(method: string): AgentlogError {
  const area = Object.entries(pgStoreGaps).find(([, methods]) =>
    (methods as readonly string[]).includes(method),
  );
  return new AgentlogError(
    'UNSUPPORTED',
    `The PostgreSQL store does not support ${area?.[0] ?? method} yet (${method}).`,
    { hint: 'Use the embedded SQLite store (unset AGENTLOG_DATABASE_URL) for this command.' },
  );
}

const fail =
  (method: string) =>
  (..._args: unknown[]): Promise<never> =>
    Promise.reject(gap(method));
const failStream = (method: string) =>
  async function* (..._args: unknown[]): AsyncGenerator<never> {
    yield* [];
    throw gap(method);
  };

/** A base class holding every gap as a method, so PgStore only writes what it supports. */
export function pgUnsupported() {
  return class {
    planCheckpoint = fail('planCheckpoint');
    archivedMessages = failStream('archivedMessages');
    archivedRawRecords = failStream('archivedRawRecords');
    recordCheckpoint = fail('recordCheckpoint');
    listCheckpoints = fail('listCheckpoints');
    markCheckpointVerified = fail('markCheckpointVerified');
    applyRetention = fail('applyRetention');
  };
}
