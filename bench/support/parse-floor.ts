import { open } from 'node:fs/promises';

/**
 * The floor an import is compared with: read every line of every file and `JSON.parse` it, on one
 * thread, doing nothing else. Returns the bytes read and the lines parsed.
 */
export async function parseFloor(files: string[]): Promise<{ bytes: number; lines: number }> {
  const buffer = Buffer.allocUnsafe(1 << 20);
  let bytes = 0;
  let lines = 0;
  for (const path of files) {
    const handle = await open(path, 'r');
    let carry: Buffer | null = null;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, null);
      if (bytesRead === 0) break;
      bytes += bytesRead;
      const chunk = buffer.subarray(0, bytesRead);
      let from = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, from)) {
        const piece = chunk.subarray(from, nl);
        const line: Buffer = carry === null ? piece : Buffer.concat([carry, piece]);
        carry = null;
        if (line.byteLength > 0) JSON.parse(line.toString('utf8'));
        lines++;
        from = nl + 1;
      }
      if (from < chunk.byteLength) {
        const rest = Buffer.from(chunk.subarray(from));
        carry = carry === null ? rest : Buffer.concat([carry, rest]);
      }
    }
    await handle.close();
  }
  return { bytes, lines };
}
