import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zstdCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { headBytes, readFileHead } from '../../src/ingest/file-head.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

/** JSON Lines of `bytes` bytes: one short record repeated, so zstd makes them tiny. */
const jsonLines = (bytes: number) => {
  const line = '{"type":"user","text":"again"}\n';
  const text = line.repeat(Math.ceil(bytes / line.length));
  return Buffer.from(text.slice(0, bytes));
};

describe('readFileHead', () => {
  it('calls a .jsonl.zst complete only when decompression reached its end', async () => {
    const dir = tempDir();
    const large = join(dir, 'large.jsonl.zst');
    const content = jsonLines(200_000);
    writeFileSync(large, zstdCompressSync(content));
    // Far smaller compressed than the head: its size says nothing of how much the head holds.
    expect(statSync(large).size).toBeLessThan(headBytes / 10);
    const head = await readFileHead(large);
    expect(head.complete).toBe(false);
    expect(head.bytes).toEqual(content.subarray(0, headBytes));

    const small = join(dir, 'small.jsonl.zst');
    writeFileSync(small, zstdCompressSync(jsonLines(1000)));
    expect(await readFileHead(small)).toEqual({ bytes: jsonLines(1000), complete: true });

    const exact = join(dir, 'exact.jsonl.zst');
    writeFileSync(exact, zstdCompressSync(jsonLines(headBytes)));
    expect((await readFileHead(exact)).complete).toBe(true);
  });

  it('calls a plain file complete when it fits in the head, to the byte', async () => {
    const dir = tempDir();
    const fits = join(dir, 'fits.jsonl');
    writeFileSync(fits, jsonLines(headBytes));
    expect(await readFileHead(fits)).toEqual({ bytes: jsonLines(headBytes), complete: true });
    const over = join(dir, 'over.jsonl');
    writeFileSync(over, jsonLines(headBytes + 1));
    expect(await readFileHead(over)).toEqual({ bytes: jsonLines(headBytes), complete: false });
  });
});
