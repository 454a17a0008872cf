import { passThroughStage } from '../stage.ts';
import { validatedSessionSchema } from './validate.ts';

/** Quality scoring of the conversation for curation. Pass-through for now. */
export const qualityStage = passThroughStage('quality', validatedSessionSchema);
