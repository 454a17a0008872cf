import type { PgMigration } from '../migrate.ts';
import { jobs } from './001-jobs.ts';
import { core } from './002-core.ts';
import { enrichment } from './003-enrichment.ts';
import { memoryReports } from './004-memory-reports.ts';
import { runs } from './009-runs.ts';
import { jsonOrder } from './010-json-order.ts';
import { datasets } from './011-datasets.ts';
import { archives } from './012-archives.ts';
import { enrichmentIndex } from './014-enrichment-index.ts';
import { leafTitles } from './016-leaf-titles.ts';

/** In version order; a released migration is never edited, only followed by a new one. */
export const pgMigrations: PgMigration[] = [
  jobs,
  core,
  enrichment,
  memoryReports,
  runs,
  jsonOrder,
  datasets,
  archives,
  enrichmentIndex,
  leafTitles,
];
