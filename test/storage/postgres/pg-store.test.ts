import { describe, expect, it } from 'vitest';
import { AgentlogError } from '../../../src/domain/errors.ts';
import { PgStore } from '../../../src/storage/postgres/pg-store.ts';
import { pgStoreGaps } from '../../../src/storage/postgres/pg-unsupported.ts';
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

describe('PostgreSQL store gaps', () => {
  it('answers every method it does not implement yet with UNSUPPORTED, naming the area', async () => {
    const { store, close } = await open();
    try {
      const error = await store.listRuns({ projectId: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AgentlogError);
      expect(error).toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/runs/) });
      const stream = store.scanMessages({ projectId: 1 })[Symbol.asyncIterator]();
      await expect(stream.next()).rejects.toMatchObject({ code: 'UNSUPPORTED' });
      expect(Object.keys(pgStoreGaps)).toEqual([
        'enrichment',
        'runs',
        'memory',
        'search',
        'reports',
        'archives',
        'datasets',
      ]);
    } finally {
      await close();
    }
  });

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
