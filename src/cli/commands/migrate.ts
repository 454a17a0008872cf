import { Option, type Command } from 'commander';
import { AgentlogError } from '../../domain/errors.ts';
import type { MigrationReport } from '../../migrate/migration-report.ts';
import { loadCliConfig, type GlobalOptions } from '../context.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';
import { createProgressBar } from '../progress.ts';
import { parsePositive } from './sessions.ts';

type MigrateOptions = {
  to?: string;
  from?: string;
  schema?: string;
  blobs?: string;
  json?: boolean;
  chunkRows?: number;
  haltAfterChunks?: number;
};

export function registerMigrate(program: Command, io: CliIo): void {
  program
    .command('migrate')
    .description(
      'Copy the embedded store into PostgreSQL (--to) or back (--from), with the blob store objects (--blobs); resumable, verified by counts and hashes.',
    )
    .option('--to <postgres-url>', 'copy the embedded store of --data-dir into this PostgreSQL database')
    .option('--from <postgres-url>', 'copy this PostgreSQL store into the embedded store of --data-dir')
    .option('--schema <name>', 'the PostgreSQL schema (env AGENTLOG_DATABASE_SCHEMA; default the user’s own)')
    .option(
      '--blobs <s3-url>',
      'copy the blob store objects too: local files to this bucket (--to), or back (--from)',
    )
    .option('--json', 'print the verification report as JSON on stdout')
    .addOption(
      new Option('--chunk-rows <n>', 'rows per committed chunk')
        .argParser((v) => parsePositive(v, '--chunk-rows'))
        .hideHelp(),
    )
    .addOption(
      new Option('--halt-after-chunks <n>', 'stop still after this many chunks (tests interrupt here)')
        .argParser((v) => parsePositive(v, '--halt-after-chunks'))
        .hideHelp(),
    )
    .addHelpText(
      'after',
      '\nStop every writer (serve, watch, imports) first. Interrupted, run the same command again: it continues\n' +
        'after the last committed chunk. The target must be empty or an earlier run of the same migration.\n' +
        'Exit code 4 when a table or the blob objects differ after the copy.',
    )
    .action(async (options: MigrateOptions, command: Command) => {
      const report = await runMigration(
        io,
        command.optsWithGlobals<GlobalOptions & MigrateOptions>(),
        options,
      );
      if (options.json) writeJson(io, report);
      else printReport(io, report);
      if (!report.ok) {
        const bad = report.tables.filter((t) => !t.ok).map((t) => t.table);
        if (report.blobs?.ok === false) bad.push('blob objects');
        throw new AgentlogError('CONFLICT', `The copy differs from its source in: ${bad.join(', ')}.`, {
          hint: 'Run the same command again to continue the copy; if it still differs, stop every writer to the source first.',
        });
      }
    });
}

async function runMigration(
  io: CliIo,
  globals: GlobalOptions,
  options: MigrateOptions,
): Promise<MigrationReport> {
  if ((options.to === undefined) === (options.from === undefined))
    throw new AgentlogError('INVALID_ARGUMENT', 'Give either --to <postgres-url> or --from <postgres-url>.');
  const url = (options.to ?? options.from) as string;
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new AgentlogError(
      'INVALID_ARGUMENT',
      `${options.to ? '--to' : '--from'} must be a postgres:// URL.`,
    );
  if (options.blobs !== undefined && !/^s3:\/\/[^/]+/.test(options.blobs))
    throw new AgentlogError('INVALID_ARGUMENT', '--blobs must look like s3://bucket or s3://bucket/prefix.');

  const config = await loadCliConfig(io, { dataDir: globals.dataDir, project: globals.project });
  const [{ storePath }, { openBlobStore }, { SqliteSide }, { PgSide }, { migrateStore }] = await Promise.all([
    import('../../config/config.ts'),
    import('../../agentlog.ts'),
    import('../../migrate/sqlite-side.ts'),
    import('../../migrate/pg-side.ts'),
    import('../../migrate/migrate-store.ts'),
  ]);
  const toPostgres = options.to !== undefined;
  const schema = options.schema ?? config.storage.databaseSchema;
  const embedded = SqliteSide.open(storePath(config), toPostgres ? 'source' : 'target');
  try {
    const remote = await PgSide.open(url, schema, toPostgres ? 'target' : 'source');
    try {
      let blobs;
      if (options.blobs !== undefined) {
        const local = await openBlobStore({
          ...config,
          storage: { ...config.storage, blobs: { ...config.storage.blobs, url: undefined } },
        });
        const s3 = await openBlobStore({
          ...config,
          storage: { ...config.storage, blobs: { ...config.storage.blobs, url: options.blobs } },
        });
        blobs = toPostgres ? { source: local, target: s3 } : { source: s3, target: local };
      }
      const bar = createProgressBar(io, 'migrate');
      let chunks = 0;
      const report = await migrateStore({
        direction: toPostgres ? 'to-postgres' : 'from-postgres',
        source: toPostgres ? embedded : remote,
        target: toPostgres ? remote : embedded,
        blobs,
        chunkRows: options.chunkRows,
        onPhase: (phase) => {
          bar.done();
          if (!options.json) writeLine(io.stderr, `agentlog: ${phaseLine[phase]}`);
        },
        onChunk: async (done) => {
          bar.update(done.copiedRows, done.totalRows, `${done.table} ${done.tableRows}`);
          chunks++;
          if (options.haltAfterChunks !== undefined && chunks >= options.haltAfterChunks) {
            writeLine(io.stderr, `agentlog: halted after ${chunks} chunks`);
            await new Promise(() => setInterval(() => {}, 1 << 30));
          }
        },
        onBlob: (key, copied) => bar.update(copied, copied, key),
      });
      bar.done();
      return report;
    } finally {
      await remote.close();
    }
  } finally {
    await embedded.close();
  }
}

const phaseLine = {
  copy: 'copying the tables…',
  blobs: 'copying the blob store objects…',
  verify: 'comparing source and target…',
} as const;

function printReport(io: CliIo, report: MigrationReport): void {
  const rows: [string, string, string, string][] = [['table', 'source rows', 'target rows', 'hash']];
  for (const t of report.tables)
    rows.push([t.table, String(t.source.rows), String(t.target.rows), t.ok ? 'ok' : 'DIFFERS']);
  if (report.blobs !== null)
    rows.push([
      'blob objects',
      String(report.blobs.source.rows),
      String(report.blobs.target.rows),
      `${report.blobs.ok ? 'ok' : 'DIFFERS'} (${report.blobs.copied} copied)`,
    ]);
  const width = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0))) ?? [];
  for (const r of rows)
    writeLine(
      io.stdout,
      r.map((cell, i) => (i === 0 ? cell.padEnd(width[i] ?? 0) : cell.padStart(width[i] ?? 0))).join('  '),
    );
  writeLine(io.stdout);
  const verdict = report.ok ? 'every table matches' : 'SOME DIFFER';
  writeLine(
    io.stdout,
    `${report.resumed ? 'Resumed: c' : 'C'}opied ${report.copiedRows} rows from ${report.source} to ${report.target} in ${(report.durationMs / 1000).toFixed(1)} s; ${verdict}.`,
  );
  if (report.blobs === null) writeLine(io.stdout, 'Blob store objects were not copied (no --blobs).');
}
