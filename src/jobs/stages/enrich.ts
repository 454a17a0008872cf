import { enrichStored } from '../../enrich/enrich-stored.ts';
import { defineStage } from '../stage.ts';
import { validatedSessionSchema } from './validate.ts';

/**
 * The enrichment ingest leaves for later, for the completed session's messages: exact token
 * counts and keywords against the project's corpus (src/enrich/enrich-stored.ts). Ingest already
 * stored the rest (domain, tier, tags, ...). Idempotent: a message done once is not done again.
 */
export const enrichStage = defineStage({
  name: 'enrich',
  input: validatedSessionSchema,
  output: validatedSessionSchema,
  async run(input, { store }) {
    const done = await enrichStored({
      store,
      projectId: input.projectId,
      sessionId: input.sessionId,
      all: false,
      deferredOnly: true,
    });
    const failures = done.failures > 0 ? `, ${done.failures} enricher failures recorded` : '';
    return {
      ok: true,
      output: input,
      summary: `${done.messages} messages: exact tokens, keywords${failures}`,
    };
  },
});
