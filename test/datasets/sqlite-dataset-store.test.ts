import { join } from 'node:path';
import { describe } from 'vitest';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { datasetStoreContract } from './dataset-store.contract.ts';

const tempDir = useTempDirs();

describe('training files in the Store port', () => {
  datasetStoreContract('SQLite', async () => {
    const store = new SqliteStore(join(tempDir(), 'agentlog.db'));
    return { store, close: () => store.close() };
  });
});
