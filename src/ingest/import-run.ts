import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { AgentlogError } from '../domain/errors.ts';
import type { SkippedLine } from '../domain/skipped-line.ts';
import type { IngestPipeline } from '../enrich/ingest-pipeline.ts';
import type { SourceFormat } from '../sources/source-format.ts';
import type { Store } from '../storage/ports.ts';
import { importFile, type FileOutcome } from './import-file.ts';
import { importInWorkers, type ImportWorkers } from './import-pool.ts';

/** The `--json` contract of `agentlog import`. */
export type ImportSummary = {
  source: string;
  files: number;
  filesSkipped: number;
  filesUnchanged: number;
  sessions: number;
  messages: number;
  newMessages: number;
  skippedLines: SkippedLine[];
  skippedFiles: { file: string; reason: string }[];
  durationMs: number;
};

export type ImportProgress = { filesDone: number; filesTotal: number; bytesDone: number; bytesTotal: number };

export type ImportRunOptions = {
  store: Store;
  projectId: number;
  format: SourceFormat;
  /** Paths given by the user; they must exist. Empty means the format's default roots. */
  paths: string[];
  defaultRoots: string[];
  onProgress?: (progress: ImportProgress) => void;
  /** Worker threads for large imports (count 0: one per core); without it, all runs in this thread. */
  workers?: ImportWorkers;
  /** Redaction and enrichment before the first write (default: mask, see agentlog.ingestPipeline). */
  pipeline?: IngestPipeline;
};

const minParallelBytes = 16 << 20;

/** Lists the transcript files of the given paths (or the defaults), with their sizes. */
export async function listFiles(format: SourceFormat, paths: string[], defaults: string[]) {
  for (const path of paths) {
    if ((await stat(path).catch(() => null)) === null) {
      throw new AgentlogError('INVALID_ARGUMENT', `No such file or directory: ${path}`, {
        hint: `Give a ${format.name} projects directory, one project directory, or one transcript file.`,
      });
    }
  }
  const files: { path: string; size: number }[] = [];
  const seen = new Set<string>();
  for (const root of paths.length > 0 ? paths : defaults) {
    for await (const path of format.discover(root)) {
      if (seen.has(path)) continue;
      seen.add(path);
      const info = await stat(path).catch(() => null);
      files.push({ path, size: info?.size ?? 0 });
    }
  }
  return files;
}

/**
 * Imports every transcript of one format found under the given paths. Files unchanged since the
 * last import are recognised here without being opened; the others go through importFile, on
 * worker threads when there is enough to read, else one after another in this thread.
 */
export async function importRun(options: ImportRunOptions): Promise<ImportSummary> {
  const started = performance.now();
  const files = await listFiles(options.format, options.paths, options.defaultRoots);
  const progress: ImportProgress = {
    filesDone: 0,
    filesTotal: files.length,
    bytesDone: 0,
    bytesTotal: files.reduce((sum, f) => sum + f.size, 0),
  };
  const summary = emptySummary(options.format.name);
  summary.files = files.length;
  const sessions = new Set<string>();
  const onBytes = (bytes: number) => {
    progress.bytesDone += bytes;
    options.onProgress?.(progress);
  };
  const onOutcome = (path: string, outcome: FileOutcome) => {
    addOutcome(summary, sessions, path, outcome);
    progress.filesDone++;
    options.onProgress?.(progress);
  };

  const changed: { path: string; size: number }[] = [];
  for (const file of files) {
    if (await unchanged(options, file.path)) onOutcome(file.path, { status: 'unchanged' });
    else changed.push(file);
  }
  const workers = workerCount(options.workers, changed);
  if (workers > 1) {
    await importInWorkers(changed, {
      workers,
      store: options.store,
      init: {
        projectId: options.projectId,
        source: options.format.name,
        ...(options.pipeline ? { pipeline: options.pipeline.settings } : {}),
      },
      onBytes,
      onOutcome,
    });
  } else {
    for (const file of changed) {
      const outcome = await importFile({
        store: options.store,
        projectId: options.projectId,
        format: options.format,
        path: file.path,
        onBytes,
        ...(options.pipeline ? { pipeline: options.pipeline } : {}),
      });
      onOutcome(file.path, outcome);
    }
  }
  // Workers finish in any order; report in the order the files were listed.
  const order = new Map(files.map((f, i) => [f.path, i]));
  const rank = (file: string) => order.get(file) ?? -1;
  summary.skippedFiles.sort((a, b) => rank(a.file) - rank(b.file));
  summary.skippedLines.sort((a, b) => rank(a.file) - rank(b.file) || a.line - b.line);
  summary.sessions = sessions.size;
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}

/** Same size and modification time as when last imported (importFile applies the same rule). */
async function unchanged(options: ImportRunOptions, path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  if (info === null) return false;
  const prior = await options.store.getSourceFile(options.projectId, options.format.name, path);
  return prior !== null && prior.size === info.size && prior.mtimeMs === info.mtimeMs;
}

function workerCount(workers: ImportWorkers | undefined, files: { size: number }[]): number {
  if (workers === undefined || files.length < 2) return 0;
  if (files.reduce((sum, f) => sum + f.size, 0) < (workers.minBytes ?? minParallelBytes)) return 0;
  return Math.min(files.length, workers.count === 0 ? availableParallelism() : workers.count);
}

export function emptySummary(source: string): ImportSummary {
  return {
    source,
    files: 0,
    filesSkipped: 0,
    filesUnchanged: 0,
    sessions: 0,
    messages: 0,
    newMessages: 0,
    skippedLines: [],
    skippedFiles: [],
    durationMs: 0,
  };
}

export function addOutcome(
  summary: ImportSummary,
  sessions: Set<string>,
  file: string,
  outcome: FileOutcome,
): void {
  switch (outcome.status) {
    case 'unchanged':
      summary.filesUnchanged++;
      return;
    case 'skipped':
      summary.filesSkipped++;
      summary.skippedFiles.push({ file, reason: outcome.reason });
      return;
    case 'imported':
      summary.messages += outcome.messages;
      summary.newMessages += outcome.newMessages;
      for (const s of outcome.sessions) sessions.add(s);
      for (const line of outcome.skippedLines) summary.skippedLines.push(line);
      return;
    default:
      outcome satisfies never;
  }
}
