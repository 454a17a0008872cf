import type { Migration } from '../migrate.ts';
import { initial } from './001-initial.ts';
import { apiKeys } from './002-api-keys.ts';
import { usageCopies } from './003-usage-copies.ts';
import { jobs } from './004-jobs.ts';
import { enrichment } from './005-enrichment.ts';
import { archives } from './006-archives.ts';
import { memory } from './008-memory.ts';
import { runs } from './009-runs.ts';
import { datasets } from './011-datasets.ts';
import { searchPrefixes } from './012-search-prefixes.ts';
import { usageReportIndex } from './013-usage-report-index.ts';
import { enrichmentIndex } from './014-enrichment-index.ts';
import { labelFacetIndex } from './015-label-facet-index.ts';
import { leafTitles } from './016-leaf-titles.ts';

/** Every schema change, in order. A released migration is never edited: add the next one. */
export const migrations: readonly Migration[] = [
  initial,
  apiKeys,
  usageCopies,
  jobs,
  enrichment,
  archives,
  memory,
  runs,
  datasets,
  searchPrefixes,
  usageReportIndex,
  enrichmentIndex,
  labelFacetIndex,
  leafTitles,
];
