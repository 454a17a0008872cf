import { describe, expect, it } from 'vitest';
import { PgStore } from '../../../src/storage/postgres/pg-store.ts';
import { leafTitlesContract } from '../leaf-titles.contract.ts';
import { storeContract } from '../store.contract.ts';
import { freshPgSchema } from './pg-test-schema.ts';

const open = async () => {
  const target = await freshPgSchema();
  const store = await PgStore.open(target);
  return {
    store,
    close: async () => {
      await store.close();
      await target.drop();
    },
  };
};

storeContract('PostgreSQL', open);
leafTitlesContract('PostgreSQL', open);

describe('PostgreSQL store', () => {
  it('lets several replicas migrate the same schema at once', async () => {
    const target = await freshPgSchema();
    try {
      const stores = await Promise.all([PgStore.open(target), PgStore.open(target), PgStore.open(target)]);
      expect((await stores[0]!.ensureProject('p')).id).toBe((await stores[2]!.ensureProject('p')).id);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await target.drop();
    }
  });
});
