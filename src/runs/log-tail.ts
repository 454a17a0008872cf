/** How much of the end of a log crash analysis reads: enough for any traceback, bounded for huge logs. */
export const tailBytes = 256 * 1024;

/** The last `maxBytes` of a stream as text; the stream is read through, holding only that much. */
export async function readTail(bytes: AsyncIterable<Uint8Array>, maxBytes = tailBytes): Promise<string> {
  let kept: Buffer[] = [];
  let size = 0;
  for await (const chunk of bytes) {
    kept.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    size += chunk.byteLength;
    while (kept.length > 1 && size - kept[0]!.byteLength >= maxBytes) size -= kept.shift()!.byteLength;
  }
  let tail = Buffer.concat(kept);
  kept = [];
  if (tail.byteLength > maxBytes) {
    tail = tail.subarray(tail.byteLength - maxBytes);
    // Start at a whole line (and so at a whole character).
    const newline = tail.indexOf(10);
    if (newline >= 0 && newline < tail.byteLength - 1) tail = tail.subarray(newline + 1);
  }
  return tail.toString('utf8');
}

/** The last `lines` lines of a text, for showing. */
export function lastLines(text: string, lines: number, maxChars = 8000): string {
  const all = text.replace(/\s+$/, '').split('\n');
  const kept = all.slice(-lines).join('\n');
  return kept.length > maxChars ? kept.slice(kept.length - maxChars) : kept;
}
