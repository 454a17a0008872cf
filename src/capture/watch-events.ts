import type { SkippedLine } from '../domain/skipped-line.ts';

/**
 * The `--json` contract of `agentlog watch`: one object per line on stdout. Evolve it by adding
 * optional fields; never rename or remove one.
 */
export type WatchEvent =
  | {
      event: 'watching';
      time: string;
      roots: { root: string; sources: string[]; exists: boolean }[];
      intervalMs: number;
    }
  | {
      event: 'imported';
      time: string;
      source: string;
      file: string;
      /** Messages read by this import (new or already stored). */
      messages: number;
      newMessages: number;
      bytesRead: number;
      sessions: string[];
      skippedLines: SkippedLine[];
    }
  | { event: 'skipped'; time: string; source: string | null; file: string; reason: string }
  | { event: 'error'; time: string; file: string | null; message: string }
  | { event: 'stopped'; time: string; imports: number; newMessages: number };

/** An event as emitted, before the time is stamped on it. */
export type WatchEventBody = WithoutTime<WatchEvent>;

type WithoutTime<E> = E extends unknown ? Omit<E, 'time'> : never;
