import { appendFile, mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';

const maxLogBytes = 5 * 1024 * 1024;

export function hookLogPath(dataDir: string): string {
  return join(dataDir, 'hooks.log');
}

/**
 * Appends one JSON line to `<data dir>/hooks.log`: a hook must never fail its agent, so this is
 * where its problems go. The log is rotated once (to hooks.log.1) so it cannot grow without end.
 * Never throws: there is nowhere left to report to.
 */
export async function appendHookLog(dataDir: string, entry: Record<string, unknown>): Promise<void> {
  const path = hookLogPath(dataDir);
  try {
    await mkdir(dataDir, { recursive: true });
    const size = (await stat(path).catch(() => null))?.size ?? 0;
    if (size > maxLogBytes) await rename(path, `${path}.1`);
    await appendFile(path, `${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
  } catch {
    // Ignored on purpose: see above.
  }
}
