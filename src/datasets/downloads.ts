import { AgentlogError } from '../domain/errors.ts';
import type { BuildFile } from '../domain/training-file.ts';
import type { BlobStore, Store } from '../storage/ports.ts';
import type { DownloadResult } from './dataset-contract.ts';
import type { JsonlTarget } from './formats/target-format.ts';
import { checkSignature, signedQuery, signPath } from './signed-url.ts';
import type { TrainingFiles } from './training-files.ts';

/** The path of a built file behind a signed URL (the part the signature covers). */
export function builtFilePath(fileId: string, version: number, name: string): string {
  return `/v1/training-files/${encodeURIComponent(fileId)}/builds/${version}/files/${encodeURIComponent(name)}`;
}

const contentTypes: Record<string, string> = {
  '.jsonl': 'application/x-ndjson; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.parquet': 'application/vnd.apache.parquet',
};

export function contentTypeOf(name: string): string {
  const ext = name.slice(name.lastIndexOf('.'));
  return contentTypes[ext] ?? 'application/octet-stream';
}

export type SignedFile = { file: BuildFile; body: AsyncIterable<Uint8Array>; contentType: string };

/**
 * Signed download URLs of built training files: handed out to a caller with an API key, they
 * work without one until they expire (HMAC-SHA256 over the path and the expiry; see signed-url.ts).
 */
export class TrainingFileDownloads {
  private readonly key: () => Promise<Buffer>;
  private readonly expirySeconds: number;

  constructor(key: () => Promise<Buffer>, expirySeconds: number) {
    // Read (or made) once, on first use; a failure is not remembered, so the next request tries again.
    let loaded: Promise<Buffer> | null = null;
    this.key = () => {
      loaded ??= key().catch((error: unknown) => {
        loaded = null;
        throw error;
      });
      return loaded;
    };
    this.expirySeconds = expirySeconds;
  }

  /** URLs of the newest build of the kind asked for (built now when there is none). */
  async signed(
    files: TrainingFiles,
    ref: string,
    query: { format: 'json' | 'jsonl'; target?: JsonlTarget | undefined },
    baseUrl: string,
    now: number,
  ): Promise<DownloadResult> {
    const build = await files.latestBuild(ref, query.format, query.target);
    const expires = Math.floor(now / 1000) + this.expirySeconds;
    const key = await this.key();
    const urls = build.files.map((f) => ({
      name: f.name,
      role: f.role,
      url: `${baseUrl}${signedQuery(signPath(key, builtFilePath(build.fileId, build.version, f.name), expires))}`,
      bytes: f.bytes,
      sha256: f.sha256,
    }));
    const main = urls.find((u) => u.role === 'document') ?? urls.find((u) => u.role === 'train') ?? urls[0];
    if (main === undefined)
      throw new AgentlogError('INTERNAL', `Build ${build.version} of ${build.fileId} has no files.`);
    return {
      format: build.format,
      version: build.version,
      digest: build.digest,
      url: main.url,
      expiresAt: new Date(expires * 1000).toISOString(),
      files: urls,
    };
  }

  /** The file behind a signed URL, or FORBIDDEN when the URL was altered or has expired. */
  async open(
    deps: { store: Store; blobs: BlobStore },
    where: { fileId: string; version: number; name: string },
    query: { expires: unknown; signature: unknown },
    now: number,
  ): Promise<SignedFile> {
    const path = builtFilePath(where.fileId, where.version, where.name);
    const check = checkSignature(
      await this.key(),
      path,
      query.expires,
      query.signature,
      Math.floor(now / 1000),
    );
    if (check === 'invalid')
      throw new AgentlogError('FORBIDDEN', 'This download link is not valid.', {
        hint: 'Ask for a new link: GET /v1/training-files/:id/download.',
      });
    if (check === 'expired')
      throw new AgentlogError('FORBIDDEN', 'This download link has expired.', {
        hint: 'Ask for a new link: GET /v1/training-files/:id/download.',
      });
    const build = (await deps.store.trainingFileBuilds(where.fileId)).find(
      (b) => b.version === where.version,
    );
    const file = build?.files.find((f) => f.name === where.name);
    const body = file === undefined ? null : await deps.blobs.get(file.key);
    if (file === undefined || body === null)
      throw new AgentlogError('NOT_FOUND', 'The file of this link is no longer stored.', {
        hint: 'Build the training file again and ask for a new link.',
      });
    return { file, body, contentType: contentTypeOf(file.name) };
  }
}
