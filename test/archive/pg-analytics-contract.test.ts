import { PgStore } from '../../src/storage/postgres/pg-store.ts';
import { freshPgSchema } from '../storage/postgres/pg-test-schema.ts';
import { analyticsStoreContract } from './analytics-store.contract.ts';

analyticsStoreContract('PostgreSQL', async () => {
  const target = await freshPgSchema();
  const store = await PgStore.open(target);
  return { store, close: async () => (await store.close(), await target.drop()) };
});
