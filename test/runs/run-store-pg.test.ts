import { describe } from 'vitest';
import { PgStore } from '../../src/storage/postgres/pg-store.ts';
import type { Store } from '../../src/storage/ports.ts';
import { freshPgSchema } from '../storage/postgres/pg-test-schema.ts';
import { runStoreContract } from './run-store.contract.ts';

describe('runs in the PostgreSQL store', () => {
  runStoreContract(async (): Promise<Store> => {
    const target = await freshPgSchema();
    const store = await PgStore.open(target);
    const close = store.close.bind(store);
    return Object.assign(store, { close: async () => (await close(), await target.drop()) });
  });
});
