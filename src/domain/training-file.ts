/**
 * A training file: a curated set of sessions of one project that agentlog turns into fine-tuning
 * data (src/datasets). Membership is explicit (a junction of sessions); each build is a numbered
 * version whose files live in the blob store, content-addressed by the build's manifest digest.
 */
export type TrainingFile = {
  id: string;
  projectId: number;
  /** Unique within the project. */
  name: string;
  description: string | null;
  createdAt: number;
  updatedAt: number;
  sessionCount: number;
};

/** What a new training file is made of; its sessions are added in the same transaction. */
export type NewTrainingFile = {
  id: string;
  projectId: number;
  name: string;
  description: string | null;
  createdAt: number;
};

/** A session in a training file, and when it was added. */
export type TrainingFileMember = { sessionId: string; addedAt: number };

/** The output formats of a build: four JSONL targets, Parquet, and the aggregated JSON document. */
export const datasetFormats = ['openai', 'trl', 'sharegpt', 'bedrock', 'parquet', 'json'] as const;
export type DatasetFormat = (typeof datasetFormats)[number];

/**
 * How sessions become examples (docs/DATASETS.md): the whole conversation, one window per
 * assistant turn, the next action of a UI journey, or `auto` (journey for sessions of UI
 * interactions, conversation otherwise).
 */
export const datasetStrategies = ['auto', 'conversation', 'turns', 'journey'] as const;
export type DatasetStrategy = (typeof datasetStrategies)[number];

/** One file a build wrote: its blob key, the split it holds (or its role), size and sha256. */
export type BuildFile = {
  name: string;
  role: 'train' | 'validation' | 'document' | 'manifest' | 'provenance' | 'dropped';
  key: string;
  bytes: number;
  sha256: string;
  /** Examples (or report lines) in the file; 0 for the manifest. */
  records: number;
};

/** A recorded build: version n of a training file, in one format. */
export type TrainingFileBuild = {
  fileId: string;
  version: number;
  format: DatasetFormat;
  /** sha256 of the manifest: equal for builds of the same inputs and configuration. */
  digest: string;
  createdAt: number;
  files: BuildFile[];
  /** The build summary (datasets/dataset-contract.ts `BuildSummary`), kept as written. */
  summary: unknown;
};
