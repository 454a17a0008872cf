import { createHash } from 'node:crypto';
import type { BlobStore } from '../storage/ports.ts';
import type { BlobCheck, TableDigest } from './migration-report.ts';
import { XorDigest } from './verify-copy.ts';

/**
 * Copies every object of the source blob store that the target lacks. A put is atomic on both
 * adapters, so an object that exists is whole, and a rerun skips it.
 */
export async function copyBlobObjects(
  source: BlobStore,
  target: BlobStore,
  onObject?: (key: string, copied: number) => void,
): Promise<number> {
  let copied = 0;
  for await (const key of source.list('')) {
    if (await target.exists(key)) continue;
    const body = await source.get(key);
    if (body === null) continue;
    await target.put(key, body);
    copied++;
    onObject?.(key, copied);
  }
  return copied;
}

/** Reads every source object back on both ends and compares sha256 by key. */
export async function verifyBlobObjects(
  source: BlobStore,
  target: BlobStore,
  copied: number,
): Promise<BlobCheck> {
  const s = new XorDigest();
  const d = new XorDigest();
  let sourceBytes = 0;
  let targetBytes = 0;
  for await (const key of source.list('')) {
    const a = await objectHash(source, key);
    const b = await objectHash(target, key);
    if (a !== null) {
      s.add(keyed(key, a.sha256));
      sourceBytes += a.bytes;
    }
    if (b !== null) {
      d.add(keyed(key, b.sha256));
      targetBytes += b.bytes;
    }
  }
  const sourceDigest: TableDigest = s.result();
  const targetDigest: TableDigest = d.result();
  return {
    source: { ...sourceDigest, bytes: sourceBytes },
    target: { ...targetDigest, bytes: targetBytes },
    copied,
    ok: sourceDigest.rows === targetDigest.rows && sourceDigest.hash === targetDigest.hash,
  };
}

async function objectHash(store: BlobStore, key: string): Promise<{ sha256: string; bytes: number } | null> {
  const body = await store.get(key);
  if (body === null) return null;
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { sha256: hash.digest('hex'), bytes };
}

function keyed(key: string, sha256: string): Buffer {
  return createHash('sha256').update(`${key}\n${sha256}`).digest();
}
