import { z } from 'zod';
import type { PipelineStage, StageContext, StageReport } from './stage.ts';
import { archiveStage } from './stages/archive.ts';
import { enrichStage } from './stages/enrich.ts';
import { qualityStage } from './stages/quality.ts';
import { trainingExamplesStage } from './stages/training-examples.ts';
import { validateStage } from './stages/validate.ts';

/** The stages that complete a stopped session, in order; each one's output is the next one's input. */
export const completionStages: readonly PipelineStage[] = [
  validateStage,
  enrichStage,
  qualityStage,
  trainingExamplesStage,
  archiveStage,
];

/** One stage's run, as kept with the job (`agentlog jobs show`). */
export const stageResultSchema = z.object({
  stage: z.string(),
  /** rejected: the data cannot complete; error: something broke, and the job is retried. */
  status: z.enum(['ok', 'pass-through', 'rejected', 'error']),
  durationMs: z.number(),
  summary: z.string().optional(),
  error: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type StageResult = z.infer<typeof stageResultSchema>;

export type PipelineOutcome =
  | { status: 'completed'; stages: StageResult[] }
  | { status: 'failed'; stages: StageResult[]; stage: string; error: string; permanent: boolean }
  /** Stopped between stages (shutdown) before `next` ran; the job runs again from the start. */
  | { status: 'interrupted'; stages: StageResult[]; next: string };

export type PipelineControl = {
  /** Asked between stages: true stops the pipeline there (the stage in flight always finishes). */
  shouldStop(): boolean;
  /** Called between stages (the worker renews its lease). */
  beforeStage?(name: string): Promise<void>;
};

/**
 * Runs the stages in order, each checked against its contract, and records what each did. A
 * rejected stage stops the pipeline for good; a thrown error stops it to be retried. Stages
 * must be idempotent: an interrupted or retried job runs them again from the first.
 */
export async function runPipeline(
  stages: readonly PipelineStage[],
  input: unknown,
  context: StageContext,
  control: PipelineControl,
): Promise<PipelineOutcome> {
  const results: StageResult[] = [];
  let value = input;
  for (const [index, stage] of stages.entries()) {
    if (index > 0 && control.shouldStop())
      return { status: 'interrupted', stages: results, next: stage.name };
    await control.beforeStage?.(stage.name);
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 1000) / 1000;
    let report: StageReport<unknown>;
    try {
      report = await stage.run(value, context);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results.push({ stage: stage.name, status: 'error', durationMs: elapsed(), error: message });
      return { status: 'failed', stages: results, stage: stage.name, error: message, permanent: false };
    }
    if (!report.ok) {
      results.push({
        stage: stage.name,
        status: 'rejected',
        durationMs: elapsed(),
        error: report.reason,
        ...(report.details === undefined ? {} : { details: report.details }),
      });
      return { status: 'failed', stages: results, stage: stage.name, error: report.reason, permanent: true };
    }
    results.push({
      stage: stage.name,
      status: stage.passThrough ? 'pass-through' : 'ok',
      durationMs: elapsed(),
      summary: report.summary,
    });
    value = report.output;
  }
  return { status: 'completed', stages: results };
}
