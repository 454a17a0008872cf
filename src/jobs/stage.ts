import { z } from 'zod';
import type { JobsConfig } from '../config/jobs-config.ts';
import type { Store } from '../storage/ports.ts';

export type StageSettings = Pick<JobsConfig, 'unansweredToolCalls'>;

/** What every stage may use: the store to read from, and the pipeline's settings. */
export type StageContext = { store: Store; settings: StageSettings };

/**
 * A stage's answer. `rejected` is an expected outcome (the session's data cannot complete, and
 * running again will not change that); a thrown error is not, and the job is retried.
 */
export type StageReport<O> =
  { ok: true; output: O; summary: string } | { ok: false; reason: string; details?: Record<string, unknown> };

export type StageSpec<I, O> = {
  name: string;
  input: z.ZodType<I>;
  output: z.ZodType<O>;
  run(input: I, context: StageContext): Promise<StageReport<O>>;
};

/** A stage as the pipeline runs it: its input and output checked against its contract. */
export type PipelineStage = {
  name: string;
  /** A stage a later issue fills in: it hands its input on unchanged, and says so. */
  passThrough: boolean;
  run(value: unknown, context: StageContext): Promise<StageReport<unknown>>;
};

const contractBreach = (name: string, side: 'input' | 'output', error: z.ZodError) => ({
  ok: false as const,
  reason: `the ${side} does not match the ${name} stage's contract: ${z.prettifyError(error).replaceAll('\n', '; ')}`,
});

export function defineStage<I, O>(spec: StageSpec<I, O>): PipelineStage {
  return {
    name: spec.name,
    passThrough: false,
    async run(value, context) {
      const input = spec.input.safeParse(value);
      if (!input.success) return contractBreach(spec.name, 'input', input.error);
      const report = await spec.run(input.data, context);
      if (!report.ok) return report;
      const output = spec.output.safeParse(report.output);
      if (!output.success) return contractBreach(spec.name, 'output', output.error);
      return { ok: true, output: output.data, summary: report.summary };
    },
  };
}

export const passThroughSummary = 'pass-through: filled in by a later issue';

/** A stage that checks its input against `schema` and hands it on unchanged. */
export function passThroughStage<T>(name: string, schema: z.ZodType<T>): PipelineStage {
  const stage = defineStage({
    name,
    input: schema,
    output: schema,
    run: async (input) => ({ ok: true, output: input, summary: passThroughSummary }),
  });
  return { ...stage, passThrough: true };
}
