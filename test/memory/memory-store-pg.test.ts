import { PgStore } from '../../src/storage/postgres/pg-store.ts';
import type { Store } from '../../src/storage/ports.ts';
import { freshPgSchema } from '../storage/postgres/pg-test-schema.ts';
import { memoryStoreContract } from './memory-store.contract.ts';

memoryStoreContract('PostgreSQL', async (): Promise<Store> => {
  const target = await freshPgSchema();
  const store = await PgStore.open(target);
  // The contract closes the store when a test ends; the schema goes with it.
  const close = store.close.bind(store);
  return Object.assign(store, { close: async () => (await close(), await target.drop()) });
});
