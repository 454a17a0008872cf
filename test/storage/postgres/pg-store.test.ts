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
      const methods = store as unknown as Record<string, (...args: unknown[]) => unknown>;
      for (const [area, names] of Object.entries(pgStoreGaps))
        for (const name of names) {
          const answer = methods[name]!.call(store, { projectId: 1 });
          const next =
            answer instanceof Promise
              ? answer
              : (answer as AsyncIterable<unknown>)[Symbol.asyncIterator]().next();
          const error = await next.then(
            () => null,
            (e: unknown) => e,
          );
          expect(error, name).toBeInstanceOf(AgentlogError);
          expect(error, name).toMatchObject({ code: 'UNSUPPORTED', message: expect.stringContaining(area) });
        }
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
