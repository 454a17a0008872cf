import { join } from 'node:path';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { memoryStoreContract } from './memory-store.contract.ts';

const tempDir = useTempDirs();

memoryStoreContract('SQLite', async () => new SqliteStore(join(tempDir(), 'agentlog.db')));
