import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentlogError } from '../../../src/domain/errors.ts';
import { FsBlobStore } from '../../../src/storage/fs/fs-blob-store.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { blobStoreContract } from '../blob-store.contract.ts';

const tempDir = useTempDirs();

blobStoreContract(
  'local files',
  async () => ({ blobs: new FsBlobStore(join(tempDir(), 'blobs')), close: async () => {} }),
  /^\/.*agentlog-test-[^/]+\/blobs\//,
);

describe('FsBlobStore', () => {
  it('leaves no temporary file behind when it replaces an object', async () => {
    const root = join(tempDir(), 'blobs');
    const blobs = new FsBlobStore(root);
    await blobs.put('k/x', 'first version, longer');
    await blobs.put('k/x', 'second');
    expect(readdirSync(join(root, 'k'))).toEqual(['x']);
  });

  it('fails with a clear error when its directory cannot be written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'blobs'), 'a file where the directory should be');
    const blobs = new FsBlobStore(join(dir, 'blobs'));
    const error = await blobs.put('a/b', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentlogError);
    expect((error as AgentlogError).code).toBe('STORE_UNAVAILABLE');
    expect((error as AgentlogError).message).toMatch(/Cannot write a\/b/);
  });
});
