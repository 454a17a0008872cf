import { createHash } from 'node:crypto';
import { buffer, text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { AgentlogError } from '../../src/domain/errors.ts';
import type { BlobStore } from '../../src/storage/ports.ts';

/** A blob store over a fresh, empty place (a directory, a bucket prefix), and how to let go of it. */
export type OpenBlobStore = () => Promise<{ blobs: BlobStore; close(): Promise<void> }>;

const collect = async (keys: AsyncIterable<string>) => {
  const out: string[] = [];
  for await (const key of keys) out.push(key);
  return out;
};

/**
 * The BlobStore contract: local files and S3 run this suite unchanged. `location` says how a
 * key's location looks for this adapter (a path, an s3:// URL), the only thing that differs.
 */
export function blobStoreContract(adapter: string, open: OpenBlobStore, location: RegExp): void {
  const withBlobs = (run: (blobs: BlobStore) => Promise<void>) => async () => {
    const { blobs, close } = await open();
    try {
      await run(blobs);
    } finally {
      await close();
    }
  };

  describe(`BlobStore contract: ${adapter}`, () => {
    it(
      'writes bytes, text and streams, reads them back and lists them in order',
      withBlobs(async (blobs) => {
        async function* chunks() {
          yield 'line 1\n';
          yield new TextEncoder().encode('line 2\n');
        }
        const stored = await blobs.put('runs/r1/output.log', chunks());
        expect(stored).toMatchObject({ key: 'runs/r1/output.log', size: 14 });
        expect(stored.location).toMatch(location);
        await blobs.put('runs/r1/a.json', '{}');
        await blobs.put('runs/r2/b.bin', new Uint8Array([1, 2, 3]));
        await blobs.put('runs-other/c', 'c');
        expect(await text((await blobs.get('runs/r1/output.log'))!)).toBe('line 1\nline 2\n');
        expect([...(await buffer((await blobs.get('runs/r2/b.bin'))!))]).toEqual([1, 2, 3]);
        expect(await blobs.exists('runs/r2/b.bin')).toBe(true);
        expect(await blobs.exists('runs/r2')).toBe(false);
        expect(await blobs.get('runs/none')).toBeNull();
        expect(await collect(blobs.list('runs/r1/'))).toEqual(['runs/r1/a.json', 'runs/r1/output.log']);
        expect(await collect(blobs.list('runs/'))).toEqual([
          'runs/r1/a.json',
          'runs/r1/output.log',
          'runs/r2/b.bin',
        ]);
        // A bare prefix matches across folders; which folder comes first differs (S3 sorts bytes,
        // s3rver and local files walk folders), so only the set is checked here.
        expect((await collect(blobs.list('runs'))).sort()).toEqual([
          'runs-other/c',
          'runs/r1/a.json',
          'runs/r1/output.log',
          'runs/r2/b.bin',
        ]);
        expect(await collect(blobs.list('nothing/'))).toEqual([]);
      }),
    );

    it(
      'stores an empty object',
      withBlobs(async (blobs) => {
        expect(await blobs.put('empty', '')).toMatchObject({ key: 'empty', size: 0 });
        expect(await blobs.exists('empty')).toBe(true);
        expect(await text((await blobs.get('empty'))!)).toBe('');
      }),
    );

    it(
      'replaces an object whole; the list shows it once',
      withBlobs(async (blobs) => {
        await blobs.put('k/x', 'first version, longer');
        const second = await blobs.put('k/x', 'second');
        expect(second.size).toBe(6);
        expect(await text((await blobs.get('k/x'))!)).toBe('second');
        expect(await collect(blobs.list('k/'))).toEqual(['k/x']);
      }),
    );

    it(
      'streams a large object in and out without changing a byte',
      withBlobs(async (blobs) => {
        const part = 1024 * 1024;
        const parts = 12;
        const hash = createHash('sha256');
        async function* big() {
          for (let i = 0; i < parts; i++) {
            const chunk = new Uint8Array(part).fill(i + 1);
            hash.update(chunk);
            yield chunk;
          }
        }
        const stored = await blobs.put('archives/big.bin', big());
        expect(stored.size).toBe(part * parts);
        const back = createHash('sha256');
        let size = 0;
        for await (const chunk of (await blobs.get('archives/big.bin'))!) {
          back.update(chunk);
          size += chunk.length;
        }
        expect(size).toBe(part * parts);
        expect(back.digest('hex')).toBe(hash.digest('hex'));
      }),
    );

    it(
      'refuses keys that climb out of the root, on every operation',
      withBlobs(async (blobs) => {
        for (const key of ['../x', '/etc/passwd', 'a//b', 'a/../b', './a', 'a/', '', 'a b']) {
          await expect(blobs.put(key, 'x')).rejects.toBeInstanceOf(AgentlogError);
          await expect(blobs.get(key)).rejects.toBeInstanceOf(AgentlogError);
          await expect(blobs.exists(key)).rejects.toBeInstanceOf(AgentlogError);
          expect(() => blobs.locate(key)).toThrow(AgentlogError);
        }
      }),
    );

    it(
      'locates a key without writing it',
      withBlobs(async (blobs) => {
        expect(blobs.locate('conversations/local/run_x/conversation.json')).toMatch(location);
        expect(blobs.locate('a/b')).toMatch(/a\/b$/);
        expect(await blobs.exists('a/b')).toBe(false);
      }),
    );
  });
}
