import { z } from 'zod';
import { datasetFormats, datasetStrategies } from '../domain/training-file.ts';

/**
 * How a training file is built (src/datasets, docs/DATASETS.md). Every field has a default; the
 * config file's `datasets.build` changes the defaults, flags of `dataset build` (or the body of
 * `POST /v1/training-files/:id/builds`) change one build. The manifest records what was used.
 */
export const buildOptionsSchema = z
  .object({
    format: z.enum(datasetFormats).default('openai'),
    strategy: z.enum(datasetStrategies).default('auto'),
    /** The system prompt of every example; null keeps each session's own (if any), '' none. */
    systemPrompt: z.string().nullable().default(null),
    /** The system prompt of journey examples (the model is asked for the next UI action). */
    journeySystemPrompt: z
      .string()
      .default(
        'You operate a user interface for the user. Given the goal and the steps so far, answer with the next action as JSON.',
      ),
    /** Steps of the journey shown as the state so far (the most recent ones). */
    journeySteps: z.number().int().min(1).max(500).default(20),
    /** Examples scoring below this are dropped (0 keeps every example). */
    qualityThreshold: z.number().min(0).max(1).default(0.5),
    /** Tokens (o200k_base) an example may hold; longer conversations are split at turn boundaries. */
    maxExampleTokens: z.number().int().min(64).max(2_000_000).default(65_536),
    /** A build with fewer examples than this fails (OpenAI's minimum is 10). */
    minExamples: z.number().int().min(1).default(10),
    /** A tool output longer than this is cut in the middle, with a marker. */
    maxToolOutputChars: z.number().int().min(200).default(20_000),
    /** Estimated Jaccard similarity (MinHash, 5-word shingles) from which examples are near-duplicates. */
    nearDuplicateThreshold: z.number().min(0.3).max(1).default(0.8),
    /** drop: keep the best-scored example of each near-duplicate cluster; group: keep all, split together. */
    nearDuplicates: z.enum(['drop', 'group']).default('drop'),
    /** Share of groups (sessions joined by near-duplicate clusters) put in the validation split. */
    validationFraction: z.number().min(0).max(0.9).default(0.1),
    /** Seeds the split: the same seed puts the same group on the same side. */
    seed: z.string().default('agentlog'),
    /** What the secret gate does with an example where the redaction rules find a secret. */
    secrets: z.enum(['mask', 'drop']).default('mask'),
    /** The gate also applies the PII rules (e-mail, phone, IP, card numbers). */
    pii: z.boolean().default(false),
    /** Count every example's tokens exactly (slower); else exactly only near the budget, estimated otherwise. */
    exactTokens: z.boolean().default(false),
  })
  .strict();

export type BuildOptions = z.infer<typeof buildOptionsSchema>;

/** Training files: build defaults and the signed download URLs. */
export const datasetsSchema = z
  .object({
    build: buildOptionsSchema.prefault({}),
    /**
     * Worker threads for a build's first pass (0: the build's own thread only). They pay off on a
     * machine with idle cores; on a busy one, copying sessions to them costs more than they save.
     */
    workers: z.number().int().min(0).max(32).default(0),
    /** Signs download URLs; absent: a key generated once in <data dir>/secrets/url-signing.key (0600). */
    signingSecret: z.string().min(16).optional(),
    /** How long a signed download URL works. */
    urlExpirySeconds: z
      .number()
      .int()
      .min(10)
      .max(7 * 24 * 3600)
      .default(3600),
  })
  .prefault({});

export type DatasetsConfig = z.infer<typeof datasetsSchema>;

/** AGENTLOG_SIGNING_SECRET sets the URL signing secret (replicas of one deployment share it). */
export function datasetsInputs(
  fromFile: Record<string, unknown> | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const secret = env.AGENTLOG_SIGNING_SECRET;
  return secret === undefined || secret === '' ? { ...fromFile } : { ...fromFile, signingSecret: secret };
}
