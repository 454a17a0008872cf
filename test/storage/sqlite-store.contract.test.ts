import { join } from 'node:path';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { leafTitlesContract } from './leaf-titles.contract.ts';
import { storeContract } from './store.contract.ts';

const tempDir = useTempDirs();

const open = async () => {
  const store = new SqliteStore(join(tempDir(), 'agentlog.db'));
  return { store, close: () => store.close() };
};

storeContract('SQLite', open);
leafTitlesContract('SQLite', open);
