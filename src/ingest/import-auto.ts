import { basename } from 'node:path';
import type { IngestPipeline } from '../enrich/ingest-pipeline.ts';
import { stat } from 'node:fs/promises';
import { AgentlogError } from '../domain/errors.ts';
import { detectFormat, mayBeTranscript } from '../sources/auto/detect-format.ts';
import { walkFiles } from '../sources/shared/walk.ts';
import type { SourceFormat } from '../sources/source-format.ts';
import type { Store } from '../storage/ports.ts';
import { readFileHead } from './file-head.ts';
import { importFile } from './import-file.ts';
import { addOutcome, emptySummary, type ImportProgress, type ImportSummary } from './import-run.ts';

/** The `--json` contract of `agentlog import auto`: the import summary, and how many files each format read. */
export type AutoImportSummary = ImportSummary & { detected: Record<string, number> };

export type AutoImportOptions = {
  store: Store;
  projectId: number;
  /** The formats to choose from, in the order they are tried. */
  formats: readonly SourceFormat[];
  /** Files and directories given by the user; they must exist. */
  paths: string[];
  onProgress?: (progress: ImportProgress) => void;
  /** Redaction and enrichment before the first write (default: mask, see agentlog.ingestPipeline). */
  pipeline?: IngestPipeline;
};

/**
 * Imports files of any known format: each file's format is detected from its first bytes, then it
 * is imported like any other file of that format. A file no format claims is named in
 * `skippedFiles` with what each format saw; it never stops the run.
 */
export async function importAuto(options: AutoImportOptions): Promise<AutoImportSummary> {
  const started = performance.now();
  const files = await listCandidates(options.paths);
  const summary: AutoImportSummary = { ...emptySummary('auto'), detected: {} };
  summary.files = files.length;
  const progress: ImportProgress = {
    filesDone: 0,
    filesTotal: files.length,
    bytesDone: 0,
    bytesTotal: files.reduce((sum, f) => sum + f.size, 0),
  };
  const sessions = new Set<string>();
  for (const file of files) {
    const format = file.size === 0 ? 'empty file' : await pickFormat(file.path, options.formats);
    if (typeof format === 'string') {
      addOutcome(summary, sessions, file.path, { status: 'skipped', reason: format });
    } else {
      summary.detected[format.name] = (summary.detected[format.name] ?? 0) + 1;
      const outcome = await importFile({
        store: options.store,
        projectId: options.projectId,
        format,
        path: file.path,
        ...(options.pipeline ? { pipeline: options.pipeline } : {}),
        onBytes: (bytes) => {
          progress.bytesDone += bytes;
          options.onProgress?.(progress);
        },
      });
      addOutcome(summary, sessions, file.path, outcome);
    }
    progress.filesDone++;
    options.onProgress?.(progress);
  }
  summary.sessions = sessions.size;
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}

async function pickFormat(path: string, formats: readonly SourceFormat[]): Promise<SourceFormat | string> {
  let head: { bytes: Buffer; complete: boolean };
  try {
    head = await readFileHead(path);
  } catch (error) {
    return `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
  const match = detectFormat({ path, text: head.bytes.toString('utf8'), complete: head.complete }, formats);
  return match.format ?? match.reason;
}

/** Files given by name are always tried; below a directory, JSON and JSON Lines files that are not hidden. */
async function listCandidates(paths: string[]): Promise<{ path: string; size: number }[]> {
  for (const path of paths) {
    if ((await stat(path).catch(() => null)) === null) {
      throw new AgentlogError('INVALID_ARGUMENT', `No such file or directory: ${path}`, {
        hint: 'Give transcript files, or directories that hold them.',
      });
    }
  }
  const files: { path: string; size: number }[] = [];
  const seen = new Set<string>();
  const keep = (path: string) => mayBeTranscript(path) && !basename(path).startsWith('.');
  for (const root of paths) {
    for await (const path of walkFiles(root, keep)) {
      if (seen.has(path)) continue;
      seen.add(path);
      const info = await stat(path).catch(() => null);
      files.push({ path, size: info?.size ?? 0 });
    }
  }
  return files;
}
