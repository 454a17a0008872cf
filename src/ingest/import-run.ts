import { stat } from 'node:fs/promises';
import { AgentlogError } from '../domain/errors.ts';
import type { SkippedLine } from '../domain/skipped-line.ts';
import type { SourceFormat } from '../sources/source-format.ts';
import type { Store } from '../storage/ports.ts';
import { importFile, type FileOutcome } from './import-file.ts';

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
};

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

/** Imports every transcript of one format found under the given paths, one file after another. */
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
  for (const file of files) {
    const outcome = await importFile({
      store: options.store,
      projectId: options.projectId,
      format: options.format,
      path: file.path,
      onBytes: (bytes) => {
        progress.bytesDone += bytes;
        options.onProgress?.(progress);
      },
    });
    addOutcome(summary, sessions, file.path, outcome);
    progress.filesDone++;
    options.onProgress?.(progress);
  }
  summary.sessions = sessions.size;
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
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
