import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AgentlogError } from '../../domain/errors.ts';
import type { BuildFile } from '../../domain/training-file.ts';
import type { BlobStore } from '../../storage/ports.ts';
import { manifestText, type ManifestParts } from './manifest.ts';
import type { OutputFile } from './output-sinks.ts';

/** Where a build's files live in the blob store: content-addressed by the manifest's digest. */
export function buildKey(fileId: string, digest: string, name: string): string {
  return `training-files/${fileId}/${digest}/${name}`;
}

export type PublishedFile = BuildFile & { path?: string };

/** Writes the manifest beside the staged files; its sha256 is the build's digest. */
export async function stageManifest(
  staging: string,
  parts: ManifestParts,
): Promise<{ digest: string; file: OutputFile }> {
  const manifest = manifestText(parts);
  const path = join(staging, 'manifest.json');
  await writeFile(path, manifest.text);
  const bytes = Buffer.byteLength(manifest.text, 'utf8');
  return {
    digest: manifest.digest,
    file: { name: 'manifest.json', role: 'manifest', path, bytes, sha256: manifest.digest, records: 0 },
  };
}

/** Copies the staged files to the blob store (and --out), each whole or not at all. */
export async function publishFiles(
  blobs: BlobStore,
  fileId: string,
  digest: string,
  outputs: readonly OutputFile[],
  out: string | undefined,
): Promise<PublishedFile[]> {
  const target = out === undefined ? undefined : resolve(out);
  if (target !== undefined)
    await mkdir(target, { recursive: true }).catch((cause: unknown) => {
      throw new AgentlogError('INVALID_ARGUMENT', `Cannot create ${target}.`, {
        hint: 'Choose a writable --out.',
        cause,
      });
    });
  const files: PublishedFile[] = [];
  for (const output of outputs) {
    const key = buildKey(fileId, digest, output.name);
    const stored = await blobs.put(key, createReadStream(output.path));
    const entry: PublishedFile = {
      name: output.name,
      role: output.role,
      key,
      bytes: stored.size,
      sha256: output.sha256,
      records: output.records,
    };
    if (target !== undefined) {
      const path = join(target, output.name);
      await copyFile(output.path, `${path}.partial`);
      await rename(`${path}.partial`, path);
      entry.path = path;
    }
    files.push(entry);
  }
  return files;
}
