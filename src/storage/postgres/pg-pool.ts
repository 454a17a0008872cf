import pg from 'pg';
import { AgentlogError } from '../../domain/errors.ts';

const int8 = 20;
const numeric = 1700;

/**
 * Epoch milliseconds, ids and sums are BIGINT / NUMERIC in Postgres, which `pg` returns as
 * strings; ours all fit in a double, so they are read as numbers. Set per pool, not globally.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === int8 || oid === numeric
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/** Where the store lives: a connection URL, and optionally a schema other than `public` (tests). */
export type PgTarget = { url: string; schema?: string | undefined; max?: number | undefined };

export function createPgPool(target: PgTarget): pg.Pool {
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.max ?? 10,
    types,
    ...(target.schema === undefined ? {} : { options: `-c search_path=${quoteIdentifier(target.schema)}` }),
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A connection failure as the one error type, saying where and what to check. */
export function pgUnavailable(url: string, cause: unknown): AgentlogError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new AgentlogError('STORE_UNAVAILABLE', `Cannot reach PostgreSQL at ${redactUrl(url)}: ${detail}.`, {
    hint: 'Check AGENTLOG_DATABASE_URL and that the server is running.',
    cause,
  });
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured URL';
  }
}
