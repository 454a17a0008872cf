import type { StorageConfig } from './storage-config.ts';

/**
 * Where the store lives, for messages to the user: the data directory, or the PostgreSQL server,
 * database and schema (never the credentials the URL may carry). No spaces, so it reads as one word.
 */
export function describeStore(storage: StorageConfig, dataDir: string): string {
  if (storage.databaseUrl === undefined) return dataDir;
  let where = 'postgres';
  try {
    const url = new URL(storage.databaseUrl);
    where = `postgres://${url.host}${url.pathname}`;
  } catch {
    // Validated as postgres://… already; a URL the parser refuses is still named by its scheme.
  }
  return storage.databaseSchema === undefined ? where : `${where}?schema=${storage.databaseSchema}`;
}
