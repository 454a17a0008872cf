import type { PgMigration } from '../migrate.ts';
import { jobs } from './001-jobs.ts';

/** In version order; a released migration is never edited, only followed by a new one. */
export const pgMigrations: PgMigration[] = [jobs];
