import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentlogError } from '../../../src/domain/errors.ts';
import { S3BlobStore, type S3BlobSettings } from '../../../src/storage/s3/s3-blob-store.ts';
import { blobStoreContract } from '../blob-store.contract.ts';
import { startS3rver } from './start-s3rver.ts';

const bucket = 'agentlog-test';
let server: Awaited<ReturnType<typeof startS3rver>>;

beforeAll(async () => {
  server = await startS3rver(bucket);
});
afterAll(async () => {
  await server?.stop();
});

const settings = (extra: Partial<S3BlobSettings> = {}): S3BlobSettings => ({
  bucket,
  // A fresh prefix per store: each test sees an empty place, as with a fresh directory.
  prefix: `run-${randomBytes(4).toString('hex')}`,
  region: 'us-east-1',
  endpoint: server.endpoint,
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  ...extra,
});

blobStoreContract(
  'S3 (s3rver)',
  async () => {
    const blobs = new S3BlobStore(settings());
    return { blobs, close: async () => blobs.client.destroy() };
  },
  /^s3:\/\/agentlog-test\/run-[0-9a-f]{8}\//,
);

describe('S3BlobStore', () => {
  it('keeps stores with different prefixes apart in one bucket', async () => {
    const a = new S3BlobStore(settings({ prefix: 'team-a/' }));
    const b = new S3BlobStore(settings({ prefix: 'team-b' }));
    await a.put('x', 'from a');
    expect(await b.exists('x')).toBe(false);
    expect(a.locate('x')).toBe('s3://agentlog-test/team-a/x');
    expect(b.locate('x')).toBe('s3://agentlog-test/team-b/x');
  });

  it('fails with a clear error when the bucket does not exist', async () => {
    const blobs = new S3BlobStore(settings({ bucket: 'no-such-bucket' }));
    const error = await blobs.put('a/b', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentlogError);
    expect((error as AgentlogError).code).toBe('STORE_UNAVAILABLE');
    expect((error as AgentlogError).message).toMatch(/Cannot write a\/b to s3:\/\/no-such-bucket\//);
  });
});
