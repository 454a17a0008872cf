import { passThroughStage } from '../stage.ts';
import { validatedSessionSchema } from './validate.ts';

/** Writes the completed session to an immutable archive. Pass-through for now. */
export const archiveStage = passThroughStage('archive', validatedSessionSchema);
