import { join } from 'node:path';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { analyticsStoreContract } from './analytics-store.contract.ts';

const tempDir = useTempDirs();

analyticsStoreContract('SQLite', async () => {
  const store = new SqliteStore(join(tempDir(), 'agentlog.db'));
  return { store, close: () => store.close() };
});
