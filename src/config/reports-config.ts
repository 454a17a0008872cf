import { z } from 'zod';

const duration = z.string().regex(/^\d+(?:\.\d+)?\s*[smhdw]$/i, 'a duration such as 30m, 6h or 1d');

/** Analytics reports (`agentlog report`) and the schedule the server runs them on. */
export const reportsSchema = z
  .object({
    /** Where report files go; default `<data dir>/reports`. */
    dir: z.string().min(1).optional(),
    /** The server writes a report this often (unset: never). */
    every: duration.optional(),
    /** A report whose collaboration score is below this (0-100) raises an alert (and e-mails `notify`). */
    alertBelow: z.number().min(0).max(100).optional(),
  })
  .prefault({});

export type ReportsConfig = z.infer<typeof reportsSchema>;

/** Checkpoints and retention (`agentlog checkpoint`). */
export const archiveSchema = z
  .object({
    /** The server checkpoints this often when something is new; 0: never. */
    checkpointEveryMinutes: z.number().min(0).default(5),
    /** Retention: messages older than this many days leave the hot store once archived and verified. Unset: kept. */
    hotDays: z.number().int().min(1).optional(),
  })
  .prefault({});

export type ArchiveConfig = z.infer<typeof archiveSchema>;
