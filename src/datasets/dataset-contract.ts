import { z } from 'zod';
import { buildOptionsSchema } from '../config/datasets-config.ts';
import { datasetFormats } from '../domain/training-file.ts';
import { jsonlTargets } from './formats/target-format.ts';

/**
 * Every wire contract of training files in one file: the `--json` outputs of `agentlog dataset`,
 * the bodies and answers of /v1/training-files, and the build summary. Evolve by adding optional
 * fields; never change or remove one.
 */

const count = z.number().int().min(0);
const refList = z.array(z.string().min(1).max(512)).min(1).max(100_000);

export const trainingFileSchema = z.object({
  id: z.string(),
  projectId: z.number().int(),
  name: z.string(),
  description: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  sessionCount: count,
});

export const buildFileSchema = z.object({
  name: z.string(),
  role: z.enum(['train', 'validation', 'document', 'manifest', 'provenance', 'dropped']),
  key: z.string(),
  bytes: count,
  sha256: z.string(),
  records: count,
  /** Where --out put a copy (CLI only). */
  path: z.string().optional(),
});

const distributionSchema = z.object({
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  median: z.number(),
  p5: z.number(),
  p95: z.number(),
});

export const droppedExampleSchema = z.object({
  example: z.string(),
  session: z.string(),
  index: count,
  /** A validation code, low_quality, secret_found, exact_duplicate, near_duplicate or format_mapping. */
  reason: z.string(),
  detail: z.string(),
});

const countsSchema = z.record(z.string(), count);

export const buildSummarySchema = z.object({
  file: z.object({ id: z.string(), name: z.string() }),
  version: z.number().int().min(1),
  format: z.enum(datasetFormats),
  /** sha256 of the manifest: equal for builds of the same inputs and configuration. */
  digest: z.string(),
  /** Examples written (both splits). */
  examples: count,
  /** Examples the strategies made, before anything was dropped. */
  candidates: count,
  sessions: z.object({
    total: count,
    /** Sessions that gave at least one written example. */
    used: count,
    /** In the file but no longer in the store (deleted by retention). */
    missing: count,
    /** Sessions with nothing to train on (no assistant answer). */
    empty: count,
  }),
  dropped: z.object({
    total: count,
    byReason: countsSchema,
    /** The first 100; every dropped example is in the build's dropped.jsonl (or the JSON document). */
    list: z.array(droppedExampleSchema),
  }),
  badInput: countsSchema,
  /** Messages of kinds never trained on (meta, compaction summaries, API errors, commands). */
  excludedMessages: count,
  /** Secrets and PII the gate masked, by kind. */
  masked: countsSchema,
  quality: z.object({
    threshold: z.number(),
    count,
    average: z.number(),
    min: z.number(),
    max: z.number(),
  }),
  tokens: z.object({
    total: count,
    /** Examples counted exactly (gpt-tokenizer o200k_base); the others are estimates below the budget. */
    exact: count,
    estimated: count,
    perExample: distributionSchema,
  }),
  split: z.object({ train: count, validation: count, groups: count }),
  nearDuplicateClusters: count,
  distribution: z.object({
    source: countsSchema,
    agent: countsSchema,
    domain: countsSchema,
    tier: countsSchema,
  }),
  files: z.array(buildFileSchema),
  warnings: z.array(z.string()),
});
export type BuildSummary = z.infer<typeof buildSummarySchema>;
export type DroppedExample = z.infer<typeof droppedExampleSchema>;

export const findingSchema = z.object({
  /** 1-based line; null for the file as a whole. */
  line: z.number().int().nullable(),
  code: z.string(),
  message: z.string(),
});

export const validationReportSchema = z.object({
  ok: z.boolean(),
  format: z.enum(jsonlTargets),
  /** At most 1000 of each are listed; the counts are complete. */
  errors: z.array(findingSchema),
  warnings: z.array(findingSchema),
  errorCount: count,
  warningCount: count,
  stats: z.object({
    lines: count,
    examples: count,
    examplesWithErrors: count,
    messagesPerExample: distributionSchema,
    totalTokens: distributionSchema,
    assistantTokens: distributionSchema,
    tokenizer: z.string(),
    tokenBudget: count,
    overTokenBudget: count,
    /** Examples counted exactly, and estimated (far below the budget, when exact counting is off). */
    exactTokenCounts: count,
    estimatedTokenCounts: count,
    missingSystem: count,
    missingUser: count,
    exactDuplicates: count,
    nearDuplicates: count,
    /** The cookbook's estimate: 3 epochs clamped to 100–25,000 example-epochs, tokens capped per example. */
    billing: z.object({ epochs: count, tokens: count }),
  }),
});
export type ValidationReport = z.infer<typeof validationReportSchema>;

export const createTrainingFileSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[^\s/][^/]*$/, 'a name without / that does not start with white space'),
    description: z.string().max(4000).optional(),
    /** Session ids (ses_…, a unique prefix, or your own session id). */
    sessions: refList.optional(),
    /** A session filter (docs/DATASETS.md): `source=claude-code and messages>=4 and since=2026-01-01`. */
    filter: z.string().min(1).max(4000).optional(),
  })
  .refine((v) => (v.sessions === undefined) !== (v.filter === undefined), {
    error: 'give either sessions or filter',
  });

export const membershipSchema = z.object({ sessions: refList });

export const buildRequestSchema = buildOptionsSchema.partial();
export type BuildRequest = z.infer<typeof buildRequestSchema>;

export const downloadQuerySchema = z.object({
  format: z.enum(['json', 'jsonl']).default('jsonl'),
  /** The JSONL target (default: the latest JSONL build, else openai). */
  target: z.enum(jsonlTargets).optional(),
});

/** `POST /v1/training-files:validate?format=…` (the body is the file). */
export const validateQuerySchema = z.object({
  format: z.enum(jsonlTargets).default('openai'),
  maxExampleTokens: z.coerce.number().int().min(64).optional(),
  minExamples: z.coerce.number().int().min(1).optional(),
});

export const signedFileQuerySchema = z.object({ expires: z.string(), signature: z.string() });

export const trainingFileResultSchema = z.object({ trainingFile: trainingFileSchema });

export const createResultSchema = z.object({
  trainingFile: trainingFileSchema,
  added: count,
  /** With a filter: matching sessions left out because they have not finished processing. */
  notFinished: count,
});
export type CreateResult = z.infer<typeof createResultSchema>;

export const listResultSchema = z.object({ trainingFiles: z.array(trainingFileSchema) });
export type ListResult = z.infer<typeof listResultSchema>;

export const buildRecordSchema = z.object({
  fileId: z.string(),
  version: z.number().int(),
  format: z.enum(datasetFormats),
  digest: z.string(),
  createdAt: z.number().int(),
  files: z.array(buildFileSchema),
  summary: z.unknown(),
});

export const showResultSchema = z.object({
  trainingFile: trainingFileSchema,
  builds: z.array(buildRecordSchema),
});
export type ShowResult = z.infer<typeof showResultSchema>;

export const fileSessionSchema = z.object({
  sessionId: z.string(),
  addedAt: z.number().int(),
  /** null: the session is no longer in the store. */
  source: z.string().nullable(),
  title: z.string().nullable(),
  status: z.string().nullable(),
  messageCount: count,
  startedAt: z.number().int().nullable(),
});
export const sessionsResultSchema = z.object({ sessions: z.array(fileSessionSchema) });
export type SessionsResult = z.infer<typeof sessionsResultSchema>;
export type FileSession = z.infer<typeof fileSessionSchema>;

export const membershipResultSchema = z.object({
  trainingFile: trainingFileSchema,
  /** The sessions added (or removed), by id. */
  sessions: z.array(z.string()),
});
export type MembershipResult = z.infer<typeof membershipResultSchema>;

export const deleteResultSchema = z.object({ deleted: z.string() });

export const downloadResultSchema = z.object({
  format: z.enum(datasetFormats),
  version: z.number().int(),
  digest: z.string(),
  /** The main file: the train split (JSONL, Parquet) or the JSON document. */
  url: z.string(),
  expiresAt: z.string(),
  files: z.array(
    z.object({
      name: z.string(),
      role: buildFileSchema.shape.role,
      url: z.string(),
      bytes: count,
      sha256: z.string(),
    }),
  ),
});
export type DownloadResult = z.infer<typeof downloadResultSchema>;

/** `dataset download` without --url: the files copied out of the blob store. */
export const downloadedResultSchema = z.object({
  format: z.enum(datasetFormats),
  version: z.number().int(),
  digest: z.string(),
  files: z.array(
    z.object({
      name: z.string(),
      role: buildFileSchema.shape.role,
      path: z.string(),
      bytes: count,
      sha256: z.string(),
    }),
  ),
});
export type DownloadedResult = z.infer<typeof downloadedResultSchema>;
