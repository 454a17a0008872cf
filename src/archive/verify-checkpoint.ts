import { createHash } from 'node:crypto';
import type { Checkpoint } from '../domain/checkpoint.ts';
import type { BlobStore, Store } from '../storage/ports.ts';
import { hashBlob, manifestSchema, type Manifest } from './manifest.ts';

export type Verification = { seq: number; ok: boolean; problems: string[] };

/** The manifest of a checkpoint, checked against the index's sha256; null (with why) when it does not match. */
export async function readManifest(
  blobs: BlobStore,
  checkpoint: Checkpoint,
): Promise<{ manifest: Manifest } | { problem: string }> {
  const body = await blobs.get(checkpoint.manifestKey);
  if (body === null) return { problem: `${checkpoint.manifestKey} is missing` };
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  const bytes = Buffer.concat(chunks);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== checkpoint.sha256) return { problem: `${checkpoint.manifestKey} does not match its sha256` };
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { problem: `${checkpoint.manifestKey} is not JSON` };
  }
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) return { problem: `${checkpoint.manifestKey} is not a checkpoint manifest` };
  return { manifest: parsed.data };
}

/**
 * Reads every file of a checkpoint back from the blob store and checks its sha256 and size
 * against the manifest, whose own sha256 is checked against the index. A checkpoint that verifies
 * is marked so; retention deletes only what verified checkpoints hold.
 */
export async function verifyCheckpoint(
  deps: { store: Store; blobs: BlobStore },
  checkpoint: Checkpoint,
  now: number,
): Promise<Verification> {
  const read = await readManifest(deps.blobs, checkpoint);
  if ('problem' in read) return { seq: checkpoint.seq, ok: false, problems: [read.problem] };
  const problems: string[] = [];
  for (const file of read.manifest.files) {
    const actual = await hashBlob(deps.blobs, file.key);
    if (actual === null) problems.push(`${file.key} is missing`);
    else if (actual.sha256 !== file.sha256 || actual.bytes !== file.bytes)
      problems.push(`${file.key} does not match its sha256`);
  }
  if (problems.length === 0) await deps.store.markCheckpointVerified(checkpoint.id, now);
  return { seq: checkpoint.seq, ok: problems.length === 0, problems };
}
