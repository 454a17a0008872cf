import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ConfigCopy } from './run-metadata.ts';

/** Config files are text of modest size; a larger one is kept up to this many bytes. */
const maxConfigBytes = 1 << 20;

/**
 * Reads the run's config file for its copy, secrets masked by `mask`; a missing or unreadable
 * file is a value, not an error.
 */
export async function copyConfig(
  path: string,
  cwd: string,
  mask: (text: string) => string,
): Promise<ConfigCopy> {
  const absolute = resolve(cwd, path);
  let handle;
  try {
    handle = await open(absolute, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
    return { path: absolute, content: null, truncated: false, problem };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile())
      return { path: absolute, content: null, truncated: false, problem: 'is not a regular file' };
    const buffer = Buffer.alloc(Math.min(info.size, maxConfigBytes));
    const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, 0);
    return {
      path: absolute,
      content: mask(buffer.subarray(0, bytesRead).toString('utf8')),
      truncated: info.size > maxConfigBytes,
      problem: null,
    };
  } finally {
    await handle.close();
  }
}
