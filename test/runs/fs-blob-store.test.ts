import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { AgentlogError } from '../../src/domain/errors.ts';
import { FsBlobStore } from '../../src/storage/fs/fs-blob-store.ts';
import { useTempDirs } from '../support/temp-dir.ts';

describe('FsBlobStore', () => {
  const tempDir = useTempDirs();

  it('writes bytes, text and streams, reads them back and lists them in order', async () => {
    const blobs = new FsBlobStore(join(tempDir(), 'blobs'));
    async function* chunks() {
      yield 'line 1\n';
      yield new TextEncoder().encode('line 2\n');
    }
    const stored = await blobs.put('runs/r1/output.log', chunks());
    expect(stored).toMatchObject({ key: 'runs/r1/output.log', size: 14 });
    await blobs.put('runs/r1/a.json', '{}');
    await blobs.put('runs/r2/b.bin', new Uint8Array([1, 2, 3]));
    expect(await text((await blobs.get('runs/r1/output.log'))!)).toBe('line 1\nline 2\n');
    expect(await blobs.exists('runs/r2/b.bin')).toBe(true);
    expect(await blobs.get('runs/none')).toBeNull();
    const keys: string[] = [];
    for await (const key of blobs.list('runs/r1/')) keys.push(key);
    expect(keys).toEqual(['runs/r1/a.json', 'runs/r1/output.log']);
  });

  it('replaces an object whole and leaves no temporary file behind', async () => {
    const root = join(tempDir(), 'blobs');
    const blobs = new FsBlobStore(root);
    await blobs.put('k/x', 'first version, longer');
    await blobs.put('k/x', 'second');
    expect(await text((await blobs.get('k/x'))!)).toBe('second');
    expect(readdirSync(join(root, 'k'))).toEqual(['x']);
  });

  it('refuses keys that climb out of the root', async () => {
    const blobs = new FsBlobStore(tempDir());
    for (const key of ['../x', '/etc/passwd', 'a//b', 'a/../b', '']) {
      await expect(blobs.put(key, 'x')).rejects.toBeInstanceOf(AgentlogError);
    }
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
