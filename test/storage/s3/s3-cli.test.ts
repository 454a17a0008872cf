import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../../src/storage/s3/s3-blob-store.ts';
import { spawnCli } from '../../support/run-cli.ts';
import { projectRoot } from '../../support/shared-fixtures.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { startS3rver } from './start-s3rver.ts';

const tempDir = useTempDirs();
const bucket = 'agentlog-cli';
let server: Awaited<ReturnType<typeof startS3rver>>;

beforeAll(async () => {
  server = await startS3rver(bucket);
});
afterAll(async () => {
  await server?.stop();
});

async function keys(prefix: string): Promise<string[]> {
  const blobs = new S3BlobStore({
    bucket,
    prefix,
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const out: string[] = [];
  for await (const key of blobs.list('')) out.push(key);
  blobs.client.destroy();
  return out;
}

describe('AGENTLOG_BLOB_URL selects S3 for every command', { timeout: 180_000 }, () => {
  it('writes checkpoints to the bucket and prefix named, and verifies them from there', async () => {
    const home = tempDir();
    const env = {
      HOME: home,
      AGENTLOG_HOME: home,
      AGENTLOG_BLOB_URL: `s3://${bucket}/team-a`,
      AGENTLOG_S3_ENDPOINT: server.endpoint,
      AGENTLOG_S3_FORCE_PATH_STYLE: 'true',
      AGENTLOG_S3_ACCESS_KEY_ID: 'S3RVER',
      AGENTLOG_S3_SECRET_ACCESS_KEY: 'S3RVER',
    };
    const fixtures = join(projectRoot, 'test', 'fixtures', 'claude-code', 'projects');
    expect((await spawnCli(['import', 'claude', fixtures, '--json'], env)).code).toBe(0);
    const created = await spawnCli(['checkpoint', 'create', '--json'], env);
    expect(created.code).toBe(0);
    const outcome = JSON.parse(created.stdout) as { status: string; checkpoint: { manifestKey: string } };
    expect(outcome.status).toBe('written');
    expect(await keys('team-a/')).toContain(outcome.checkpoint.manifestKey);
    const verified = await spawnCli(['checkpoint', 'verify', '--json'], env);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/"ok": ?true/);
  });

  it('refuses a blob URL that is not s3://, saying which setting is wrong', async () => {
    const home = tempDir();
    const result = await spawnCli(['sessions', 'list', '--json'], {
      HOME: home,
      AGENTLOG_HOME: home,
      AGENTLOG_BLOB_URL: 'gs://bucket',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/storage\.blobs\.url: must look like s3:\/\/bucket/);
  });
});
