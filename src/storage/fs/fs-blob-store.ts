import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, opendir, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AgentlogError } from '../../domain/errors.ts';
import type { BlobBody, BlobStore, StoredBlob } from '../ports.ts';

const keyPattern = /^[A-Za-z0-9._=@+-]+(\/[A-Za-z0-9._=@+-]+)*$/;

/** Checks a key is a relative path of safe segments (no `..`, no empty segment, no absolute path). */
export function checkBlobKey(key: string): void {
  if (!keyPattern.test(key) || key.split('/').some((s) => s === '.' || s === '..')) {
    throw new AgentlogError('INVALID_ARGUMENT', `"${key}" is not a valid blob key.`, {
      hint: 'Keys are /-separated names of letters, digits and . _ = @ + -',
    });
  }
}

/**
 * The BlobStore on local files: one file per key under a root directory. A put writes a temporary
 * file, syncs it and renames it into place, so readers see the whole object or none.
 */
export class FsBlobStore implements BlobStore {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  locate(key: string): string {
    checkBlobKey(key);
    return join(this.root, ...key.split('/'));
  }

  async put(key: string, body: BlobBody): Promise<StoredBlob> {
    const path = this.locate(key);
    const temp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
    try {
      await mkdir(dirname(path), { recursive: true });
      const source =
        typeof body === 'string' || body instanceof Uint8Array ? Readable.from([body]) : Readable.from(body);
      await pipeline(source, createWriteStream(temp, { flags: 'wx' }));
      const handle = await open(temp, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, path);
      return { key, size: (await stat(path)).size, location: path };
    } catch (cause) {
      await rm(temp, { force: true }).catch(() => {});
      throw new AgentlogError(
        'STORE_UNAVAILABLE',
        `Cannot write ${key} to the blob store at ${this.root}: ${reason(cause)}.`,
        {
          hint: 'Check that the blob directory exists and is writable.',
          cause,
        },
      );
    }
  }

  async get(key: string): Promise<AsyncIterable<Uint8Array> | null> {
    const path = this.locate(key);
    const info = await stat(path).catch(() => null);
    if (info === null || !info.isFile()) return null;
    return createReadStream(path);
  }

  async exists(key: string): Promise<boolean> {
    const info = await stat(this.locate(key)).catch(() => null);
    return info?.isFile() ?? false;
  }

  async *list(prefix: string): AsyncIterable<string> {
    const dir = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const start = dir === '' ? this.root : this.locate(dir);
    for await (const key of walk(start, dir)) if (key.startsWith(prefix) && !key.includes('.tmp-')) yield key;
  }
}

async function* walk(path: string, key: string): AsyncIterable<string> {
  const handle = await opendir(path).catch(() => null);
  if (handle === null) return;
  const entries: { name: string; dir: boolean }[] = [];
  for await (const entry of handle) entries.push({ name: entry.name, dir: entry.isDirectory() });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const child = key === '' ? entry.name : `${key}/${entry.name}`;
    if (entry.dir) yield* walk(join(path, entry.name), child);
    else yield child;
  }
}

function reason(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a file is in the way of its directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? (cause instanceof Error ? cause.message : String(cause));
}
