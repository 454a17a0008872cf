import { passThroughStage } from '../stage.ts';
import { validatedSessionSchema } from './validate.ts';

/** Cuts the session into training examples for the datasets. Pass-through for now. */
export const trainingExamplesStage = passThroughStage('training-examples', validatedSessionSchema);
