import { passThroughStage } from '../stage.ts';
import { validatedSessionSchema } from './validate.ts';

/** Session-level enrichment (domain, tier, tags, keywords over the whole conversation). Pass-through for now. */
export const enrichStage = passThroughStage('enrich', validatedSessionSchema);
