import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AgentlogError } from '../domain/errors.ts';

/** Where the generated key lives: in the agentlog home, never in a repository. */
export function signingKeyPath(dataDir: string): string {
  return join(dataDir, 'secrets', 'url-signing.key');
}

/**
 * The secret that signs download URLs: the configured one (`datasets.signingSecret`,
 * AGENTLOG_SIGNING_SECRET), else a random key generated once in the agentlog home (file mode
 * 0600, created exclusively so two processes starting together end up with the same key).
 */
export async function loadSigningKey(dataDir: string, configured: string | undefined): Promise<Buffer> {
  if (configured !== undefined) return Buffer.from(configured, 'utf8');
  const path = signingKeyPath(dataDir);
  const existing = await readKey(path);
  if (existing !== null) return existing;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(`${randomBytes(32).toString('hex')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw keyFailure(path, error);
  }
  const key = await readKey(path);
  if (key === null) throw keyFailure(path, new Error('the key file is empty'));
  return key;
}

async function readKey(path: string): Promise<Buffer | null> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    return text.length === 0 ? null : Buffer.from(text, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw keyFailure(path, error);
  }
}

function keyFailure(path: string, cause: unknown): AgentlogError {
  return new AgentlogError('STORE_UNAVAILABLE', `Cannot read or create the URL signing key ${path}.`, {
    hint: 'Check the permissions of the agentlog home, or set datasets.signingSecret in config.json.',
    cause,
  });
}
