import { zstdDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rawRecordRow } from '../../src/archive/archive-rows.ts';
import { asZstd, compressRaw, decompressRaw, isZstd } from '../../src/ingest/raw-codec.ts';

const bytes = (text: string) => new Uint8Array(Buffer.from(text));

describe('raw record codec', () => {
  it('keeps a small JSON record as it is and compresses the rest; both read back the same', () => {
    const small = bytes(JSON.stringify({ id: 'm1', content: 'hi' }));
    const large = bytes(JSON.stringify({ id: 'm2', content: 'x'.repeat(4000) }));
    const notJson = bytes('(not json, short)');
    expect(isZstd(compressRaw(small))).toBe(false);
    expect(isZstd(compressRaw(large))).toBe(true);
    expect(isZstd(compressRaw(notJson))).toBe(true);
    for (const record of [small, large, notJson])
      expect(decompressRaw(compressRaw(record)).equals(Buffer.from(record))).toBe(true);
    expect(compressRaw(large).byteLength).toBeLessThan(large.byteLength / 10);
  });

  it('gives a record cut from a bigger buffer a buffer of its own', () => {
    const buffer = Buffer.from(`${JSON.stringify({ a: 1 })}\n${JSON.stringify({ b: 2 })}\n`);
    const line = new Uint8Array(buffer.buffer, buffer.byteOffset, 7);
    const stored = compressRaw(line);
    expect(stored.buffer.byteLength).toBe(stored.byteLength);
  });

  it('archives hold zstd only: a record stored plain is compressed on its way out', () => {
    const plain = compressRaw(bytes('{"id":"m1"}'));
    expect(isZstd(asZstd(plain))).toBe(true);
    const row = rawRecordRow(
      {
        id: 1,
        source: 'api',
        hash: 'h',
        recordType: 'message',
        sessionId: null,
        line: 0,
        byteOffset: 0,
        data: plain,
      },
      1,
    );
    const archived = Buffer.from(row.data_zstd as string, 'base64');
    expect(zstdDecompressSync(archived).toString()).toBe('{"id":"m1"}');
  });
});
