import { buildOptionsSchema } from '../../config/datasets-config.ts';
import { previewSession } from '../../datasets/session-preview.ts';
import { defineStage } from '../stage.ts';
import { validatedSessionSchema } from './validate.ts';

const defaults = buildOptionsSchema.parse({});

/**
 * The training examples the session would give a training-file build (default options): how many,
 * by which strategy, how many pass the quality threshold, and the bad input its rules handled.
 * Nothing is written: examples are made when a file is built (src/datasets).
 */
export const trainingExamplesStage = defineStage({
  name: 'training-examples',
  input: validatedSessionSchema,
  output: validatedSessionSchema,
  async run(input, { store }) {
    const preview = await previewSession(store, input.sessionId, defaults);
    if (preview === null) return { ok: true, output: input, summary: 'no examples: the session is gone' };
    const passing = preview.examples.filter((e) => e.quality.score >= defaults.qualityThreshold).length;
    const bad = Object.entries(preview.badInput)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    return {
      ok: true,
      output: input,
      summary: `${preview.examples.length} examples (${preview.strategy}), ${passing} at quality ≥ ${defaults.qualityThreshold}${bad === '' ? '' : `; bad input: ${bad}`}`,
    };
  },
});
