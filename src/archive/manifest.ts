import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { BlobStore } from '../storage/ports.ts';

/**
 * What a checkpoint holds, written beside its files: the index row's sha256 is this manifest's,
 * and the manifest names each file's sha256. The archive's own contract; evolve by adding fields.
 */
export const manifestSchema = z.object({
  version: z.literal(1),
  project: z.string(),
  projectId: z.number().int(),
  seq: z.number().int(),
  label: z.string().nullable(),
  createdAt: z.number(),
  messageRange: z.object({ from: z.number().int(), to: z.number().int() }),
  rawRange: z.object({ from: z.number().int(), to: z.number().int() }),
  messages: z.number().int(),
  rawRecords: z.number().int(),
  firstTimestamp: z.number().nullable(),
  lastTimestamp: z.number().nullable(),
  files: z.array(
    z.object({
      table: z.enum(['messages', 'raw_records']),
      format: z.enum(['jsonl.gz', 'parquet']),
      key: z.string(),
      rows: z.number().int(),
      bytes: z.number().int(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestFile = Manifest['files'][number];

/** `archives/<project id>-<name>/<seq>-<time>/`: unique per attempt, so two writers never share a key. */
export function checkpointPrefix(project: { id: number; name: string }, seq: number, at: number): string {
  const name = project.name.replace(/[^A-Za-z0-9._=@+-]/g, '_').slice(0, 60) || 'project';
  const stamp = new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `archives/${project.id}-${name}/${String(seq).padStart(6, '0')}-${stamp}`;
}

/** sha256 and size of a stored blob, read as a stream; null when it is missing. */
export async function hashBlob(
  blobs: BlobStore,
  key: string,
): Promise<{ sha256: string; bytes: number } | null> {
  const body = await blobs.get(key);
  if (body === null) return null;
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { sha256: hash.digest('hex'), bytes };
}
