import { describe } from 'vitest';
import { PgStore } from '../../src/storage/postgres/pg-store.ts';
import { freshPgSchema } from '../storage/postgres/pg-test-schema.ts';
import { datasetStoreContract } from './dataset-store.contract.ts';

describe('training files in the Store port', () => {
  datasetStoreContract('PostgreSQL', async () => {
    const target = await freshPgSchema();
    const store = await PgStore.open(target);
    return { store, close: async () => (await store.close(), await target.drop()) };
  });
});
