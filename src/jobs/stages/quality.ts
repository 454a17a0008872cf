import { previewSession, qualityText } from '../../datasets/session-preview.ts';
import { defineStage } from '../stage.ts';
import { validatedSessionSchema } from './validate.ts';

/**
 * The quality of the completed session for curation (docs/DATASETS.md, "Quality"): the score of
 * each example a training-file build would make of it with the default options. Reports only; the
 * build scores again with its own options.
 */
export const qualityStage = defineStage({
  name: 'quality',
  input: validatedSessionSchema,
  output: validatedSessionSchema,
  async run(input, { store }) {
    const preview = await previewSession(store, input.sessionId);
    if (preview === null || preview.examples.length === 0)
      return { ok: true, output: input, summary: 'nothing to score: no assistant answer' };
    const scores = preview.examples.map((e) => qualityText(e.quality));
    const shown = scores.slice(0, 3).join('; ');
    return {
      ok: true,
      output: input,
      summary: `quality ${shown}${scores.length > 3 ? `; … ${scores.length} examples` : ''}`,
    };
  },
});
