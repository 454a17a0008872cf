import { createPgPool } from '../../../src/storage/postgres/pg-pool.ts';
import { migratePg } from '../../../src/storage/postgres/migrate.ts';
import { PgJobQueue } from '../../../src/storage/postgres/pg-job-queue.ts';
import { jobQueueContract } from '../../jobs/job-queue.contract.ts';
import { freshPgSchema } from './pg-test-schema.ts';

jobQueueContract('PostgreSQL', async () => {
  const target = await freshPgSchema();
  const pool = createPgPool(target);
  await migratePg(pool);
  return {
    queue: new PgJobQueue(pool),
    close: async () => {
      await pool.end();
      await target.drop();
    },
  };
});
