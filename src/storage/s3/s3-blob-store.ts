import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { AgentlogError } from '../../domain/errors.ts';
import { checkBlobKey } from '../fs/fs-blob-store.ts';
import type { BlobBody, BlobStore, StoredBlob } from '../ports.ts';

/** Where the objects live and how to reach them. Credentials absent: the AWS SDK's usual chain. */
export type S3BlobSettings = {
  bucket: string;
  /** Prepended to every key (`team-a/` or ''), so several deployments can share a bucket. */
  prefix: string;
  region: string;
  /** An S3-compatible server (MinIO, R2, s3rver); absent: AWS itself. */
  endpoint?: string | undefined;
  /** `http://host/bucket/key` addressing, which most S3-compatible servers need. */
  forcePathStyle: boolean;
  credentials?:
    { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined } | undefined;
};

/** S3 needs every part but the last to be at least 5 MiB; larger parts mean fewer requests. */
const partSize = 8 * 1024 * 1024;

/**
 * The BlobStore on S3 or an S3-compatible server. A put of a small body is one PutObject; a
 * larger stream goes up as a multipart upload, so memory stays at one part. S3 makes an object
 * visible only when its upload completes: readers see the whole object or none.
 */
export class S3BlobStore implements BlobStore {
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(settings: S3BlobSettings) {
    this.bucket = settings.bucket;
    this.prefix =
      settings.prefix === '' || settings.prefix.endsWith('/') ? settings.prefix : `${settings.prefix}/`;
    this.client = new S3Client({
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
      ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
    });
  }

  locate(key: string): string {
    checkBlobKey(key);
    return `s3://${this.bucket}/${this.prefix}${key}`;
  }

  async put(key: string, body: BlobBody): Promise<StoredBlob> {
    const location = this.locate(key);
    try {
      const size = await this.upload(this.prefix + key, chunksOf(body));
      return { key, size, location };
    } catch (cause) {
      throw this.unavailable(`Cannot write ${key} to ${location}`, cause);
    }
  }

  async get(key: string): Promise<AsyncIterable<Uint8Array> | null> {
    const location = this.locate(key);
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }),
      );
      // In Node the SDK answers with a readable stream; anything else means no body.
      return object.Body instanceof Readable ? object.Body : null;
    } catch (cause) {
      if (isMissing(cause)) return null;
      throw this.unavailable(`Cannot read ${location}`, cause);
    }
  }

  async exists(key: string): Promise<boolean> {
    const location = this.locate(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      return true;
    } catch (cause) {
      if (isMissing(cause)) return false;
      throw this.unavailable(`Cannot reach ${location}`, cause);
    }
  }

  async *list(prefix: string): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.client
        .send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix + prefix,
            ...(token === undefined ? {} : { ContinuationToken: token }),
          }),
        )
        .catch((cause: unknown) => {
          throw this.unavailable(`Cannot list s3://${this.bucket}/${this.prefix}${prefix}`, cause);
        });
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) yield object.Key.slice(this.prefix.length);
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  /** One PutObject when the body fits in a part, else a multipart upload (aborted on failure). */
  private async upload(objectKey: string, chunks: AsyncIterable<Uint8Array>): Promise<number> {
    const parts = partsOf(chunks);
    const first = await parts.next();
    const firstPart = first.done === true ? new Uint8Array(0) : first.value;
    const second = first.done === true ? { done: true as const, value: undefined } : await parts.next();
    if (second.done === true) {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: objectKey, Body: firstPart }));
      return firstPart.length;
    }
    const { UploadId } = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: objectKey }),
    );
    try {
      const done: CompletedPart[] = [];
      let size = 0;
      const send = async (body: Uint8Array) => {
        const PartNumber = done.length + 1;
        const { ETag } = await this.client.send(
          new UploadPartCommand({ Bucket: this.bucket, Key: objectKey, UploadId, PartNumber, Body: body }),
        );
        done.push({ ETag, PartNumber });
        size += body.length;
      };
      await send(firstPart);
      await send(second.value);
      for (let next = await parts.next(); next.done !== true; next = await parts.next())
        await send(next.value);
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: objectKey,
          UploadId,
          MultipartUpload: { Parts: done },
        }),
      );
      return size;
    } catch (cause) {
      await this.client
        .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: objectKey, UploadId }))
        .catch(() => {});
      throw cause;
    }
  }

  private unavailable(what: string, cause: unknown): AgentlogError {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return new AgentlogError('STORE_UNAVAILABLE', `${what}: ${detail}.`, {
      hint: 'Check the bucket, the endpoint (AGENTLOG_S3_ENDPOINT) and the AWS credentials.',
      cause,
    });
  }
}

async function* chunksOf(body: BlobBody): AsyncIterable<Uint8Array> {
  const encoder = new TextEncoder();
  if (typeof body === 'string') yield encoder.encode(body);
  else if (body instanceof Uint8Array) yield body;
  else for await (const chunk of body) yield typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
}

/** Regroups a stream of chunks of any size into parts of `partSize` bytes (the last may be smaller). */
async function* partsOf(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let buffer = new Uint8Array(partSize);
  let filled = 0;
  for await (let chunk of chunks) {
    while (chunk.length > 0) {
      const take = Math.min(chunk.length, partSize - filled);
      buffer.set(chunk.subarray(0, take), filled);
      filled += take;
      chunk = chunk.subarray(take);
      if (filled === partSize) {
        yield buffer;
        buffer = new Uint8Array(partSize);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}

function isMissing(cause: unknown): boolean {
  const name = cause instanceof Error ? cause.name : '';
  const status = (cause as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return name === 'NoSuchKey' || name === 'NotFound' || status === 404;
}
