import type { Readable } from 'node:stream';

/**
 * Reads a hook's stdin: everything up to end of input, at most `maxBytes`, and no longer than
 * `timeoutMs` (an agent that leaves stdin open must not hang its hook). A terminal gives nothing.
 */
export function readInput(
  stream: Readable & { isTTY?: boolean },
  limits: { maxBytes: number; timeoutMs: number },
): Promise<string> {
  if (stream.isTTY === true) return Promise.resolve('');
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let length = 0;
    const finish = () => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', finish);
      stream.off('error', finish);
      stream.pause();
      // A paused stdin would still keep the process alive.
      stream.destroy();
      resolve(Buffer.concat(parts).toString('utf8'));
    };
    const onData = (chunk: Buffer) => {
      parts.push(chunk);
      length += chunk.byteLength;
      if (length >= limits.maxBytes) finish();
    };
    const timer = setTimeout(finish, limits.timeoutMs);
    stream.on('data', onData);
    stream.once('end', finish);
    stream.once('error', finish);
  });
}
