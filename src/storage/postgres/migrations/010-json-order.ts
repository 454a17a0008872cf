import type { PgMigration } from '../migrate.ts';

/**
 * A message's blocks and meta as the JSON text written (`json`, not `jsonb`): jsonb orders an
 * object's keys its own way, so tool arguments came back reordered, and training files, archives
 * and exports differed from the same data on SQLite. Nothing queries inside these columns.
 * Rows stored before keep jsonb's order.
 */
export const jsonOrder: PgMigration = {
  version: 10,
  name: 'json-order',
  sql: `
ALTER TABLE messages ALTER COLUMN blocks TYPE json USING blocks::json,
  ALTER COLUMN meta TYPE json USING meta::json, ALTER COLUMN meta SET DEFAULT '{}';
ALTER TABLE message_revisions ALTER COLUMN blocks TYPE json USING blocks::json,
  ALTER COLUMN meta TYPE json USING meta::json;
`,
};
