import { join } from 'node:path';
import { describe } from 'vitest';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { enrichmentStoreContract } from './enrichment-store.contract.ts';

const tempDir = useTempDirs();

describe('SqliteStore: enrichment', () => {
  enrichmentStoreContract(async () => new SqliteStore(join(tempDir(), 'agentlog.db')));
});
