import type { MessageKind, Role } from '../domain/message.ts';
import type { BuildFile, DatasetFormat, TrainingFile, TrainingFileBuild } from '../domain/training-file.ts';
import type { TrainingMessage } from './ports.ts';

/** The training-file tables as both adapters read them, and the port's types made of them. */

export type FileRow = {
  id: string;
  project_id: number;
  name: string;
  description: string | null;
  created_at: number;
  updated_at: number;
  sessions: number;
};

/** A file with its session count (both engines accept this SQL as it is). */
export const selectFiles = `SELECT f.*, (SELECT COUNT(*) FROM training_file_sessions s WHERE s.file_id = f.id) AS sessions
  FROM training_files f`;

export const fileFromRow = (row: FileRow): TrainingFile => ({
  id: row.id,
  projectId: row.project_id,
  name: row.name,
  description: row.description,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  sessionCount: row.sessions,
});

/** `files` and `summary` are read as JSON text on both engines. */
export type BuildRow = {
  file_id: string;
  version: number;
  format: string;
  digest: string;
  created_at: number;
  files: string;
  summary: string;
};

export const buildFromRow = (row: BuildRow): TrainingFileBuild => ({
  fileId: row.file_id,
  version: row.version,
  format: row.format as DatasetFormat,
  digest: row.digest,
  createdAt: row.created_at,
  files: JSON.parse(row.files) as BuildFile[],
  summary: JSON.parse(row.summary) as unknown,
});

/** A message as a build reads it, one array per row: id, role, kind, speaker name and role, response id, content hash, blocks, text. */
export type MessageTuple = [
  number,
  string,
  string,
  string | null,
  string | null,
  string | null,
  string,
  string,
  string,
];

export const trainingMessageFromTuple = ([
  id,
  role,
  kind,
  speakerName,
  speakerRole,
  responseId,
  contentHash,
  blocks,
  text,
]: MessageTuple): TrainingMessage => ({
  id,
  role: role as Role,
  kind: kind as MessageKind,
  speaker: speakerName === null ? null : { name: speakerName, role: speakerRole ?? '' },
  responseId,
  contentHash,
  blocksJson: blocks,
  text,
});
