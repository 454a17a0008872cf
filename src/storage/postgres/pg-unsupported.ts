import { AgentlogError } from '../../domain/errors.ts';

/**
 * The parts of the Store port the PostgreSQL adapter does not implement yet, each with the
 * feature it leaves out. Calling one throws UNSUPPORTED (HTTP 501), so the gap is loud, never a
 * silent empty answer. The store contract suite lists the same gaps.
 */
export const pgStoreGaps = {
  runs: [
    'insertRun',
    'updateRunCapture',
    'finishRun',
    'findRuns',
    'listRuns',
    'addCrashReport',
    'crashReports',
  ],
  archives: [
    'planCheckpoint',
    'archivedMessages',
    'archivedRawRecords',
    'recordCheckpoint',
    'listCheckpoints',
    'markCheckpointVerified',
    'applyRetention',
    'scanMessages',
  ],
  datasets: [
    'createTrainingFile',
    'findTrainingFiles',
    'listTrainingFiles',
    'addTrainingFileSessions',
    'removeTrainingFileSessions',
    'deleteTrainingFile',
    'trainingFileSessions',
    'trainingMessages',
    'sessionReadiness',
    'sessionTopLabels',
    'recordTrainingFileBuild',
    'trainingFileBuilds',
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
    insertRun = fail('insertRun');
    updateRunCapture = fail('updateRunCapture');
    finishRun = fail('finishRun');
    findRuns = fail('findRuns');
    listRuns = fail('listRuns');
    addCrashReport = fail('addCrashReport');
    crashReports = fail('crashReports');
    planCheckpoint = fail('planCheckpoint');
    archivedMessages = failStream('archivedMessages');
    archivedRawRecords = failStream('archivedRawRecords');
    recordCheckpoint = fail('recordCheckpoint');
    listCheckpoints = fail('listCheckpoints');
    markCheckpointVerified = fail('markCheckpointVerified');
    applyRetention = fail('applyRetention');
    scanMessages = failStream('scanMessages');
    createTrainingFile = fail('createTrainingFile');
    findTrainingFiles = fail('findTrainingFiles');
    listTrainingFiles = fail('listTrainingFiles');
    addTrainingFileSessions = fail('addTrainingFileSessions');
    removeTrainingFileSessions = fail('removeTrainingFileSessions');
    deleteTrainingFile = fail('deleteTrainingFile');
    trainingFileSessions = failStream('trainingFileSessions');
    trainingMessages = fail('trainingMessages');
    sessionReadiness = fail('sessionReadiness');
    sessionTopLabels = fail('sessionTopLabels');
    recordTrainingFileBuild = fail('recordTrainingFileBuild');
    trainingFileBuilds = fail('trainingFileBuilds');
  };
}
