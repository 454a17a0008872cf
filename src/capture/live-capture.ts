import { stat } from 'node:fs/promises';
import type { IngestPipeline } from '../enrich/ingest-pipeline.ts';
import { sep } from 'node:path';
import { importFile, type FileOutcome } from '../ingest/import-file.ts';
import type { SourceFormat } from '../sources/source-format.ts';
import type { LiveSessions } from './live-sessions.ts';
import type { Store } from '../storage/ports.ts';
import { pickFormat } from './pick-format.ts';
import { RootWatcher } from './root-watcher.ts';
import type { WatchEvent, WatchEventBody } from './watch-events.ts';
import type { WatchTarget } from './watch-targets.ts';

export type LiveCaptureOptions = {
  store: Store;
  projectId: number;
  targets: WatchTarget[];
  /** Period of the full rescan that catches what fs events missed. */
  intervalMs: number;
  /** Quiet time after a file's first event before it is read, so a burst of writes is read once. */
  debounceMs?: number;
  onEvent: (event: WatchEvent) => void;
  /** Redaction and enrichment before the first write (default: mask, see agentlog.ingestPipeline). */
  pipeline?: IngestPipeline;
  /**
   * Sessions of transcripts written within `windowMs` (the inactivity window) become `active`, so
   * they are stopped for idling and completed; older files found by a rescan stay `imported`.
   */
  live?: { sessions: LiveSessions; windowMs: number };
};

/** A transcript file found below a target, with the size and mtime it had when last read. */
type Tracked = { formats: SourceFormat[]; format: SourceFormat | null; size: number; mtimeMs: number };

// The importer reports a last line still being written as skipped; live, that is the normal case.
const incompleteTail = 'incomplete last line';
const maxIgnored = 50_000;

/**
 * Live capture by file tailing: every change below the targets is imported through the one write
 * path (`importFile`), which resumes each file at its stored offset and leaves a partial last line
 * for later. fs events give speed, periodic rescans give completeness; files are read one at a
 * time, so a stop waits for one import at most.
 */
export class LiveCapture {
  private readonly options: LiveCaptureOptions;
  private readonly debounceMs: number;
  private readonly watchers = new Map<WatchTarget, RootWatcher>();
  private readonly tracked = new Map<string, Tracked>();
  /** Paths seen in events that a rescan did not find to be transcripts: their events are ignored. */
  private readonly ignored = new Set<string>();
  private readonly unknownEvents = new Map<WatchTarget, Set<string>>();
  private readonly fileTimers = new Map<string, NodeJS.Timeout>();
  private readonly rescanTimers = new Map<WatchTarget, NodeJS.Timeout>();
  private readonly importQueue = new Set<string>();
  private readonly rescanQueue = new Set<WatchTarget>();
  private readonly lastSkip = new Map<string, string>();
  private interval: NodeJS.Timeout | null = null;
  private importing: Promise<void> | null = null;
  private rescanning: Promise<void> | null = null;
  private stopping = false;
  private imports = 0;
  private newMessages = 0;

  constructor(options: LiveCaptureOptions) {
    this.options = options;
    this.debounceMs = options.debounceMs ?? 20;
  }

  /** Attaches the watchers, finds every transcript, and starts importing what is new. */
  async start(): Promise<void> {
    for (const target of this.options.targets) {
      this.watchers.set(
        target,
        new RootWatcher(
          target.root,
          (path) => this.onPath(target, path),
          (message) => this.emit({ event: 'error', file: null, message }),
        ),
      );
    }
    for (const target of this.options.targets) this.rescanQueue.add(target);
    await this.runRescans();
    const roots = [];
    for (const target of this.options.targets) {
      const exists = (await stat(target.root).catch(() => null)) !== null;
      roots.push({ root: target.root, sources: target.formats.map((f) => f.name), exists });
    }
    this.emit({ event: 'watching', roots, intervalMs: this.options.intervalMs });
    this.interval = setInterval(() => {
      for (const target of this.options.targets) this.rescanQueue.add(target);
      void this.runRescans();
    }, this.options.intervalMs);
    void this.runImports();
  }

  /** Stops watching, lets the import in progress commit, and reports the totals. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.interval !== null) clearInterval(this.interval);
    for (const timer of [...this.fileTimers.values(), ...this.rescanTimers.values()]) clearTimeout(timer);
    this.fileTimers.clear();
    this.rescanTimers.clear();
    await this.rescanning;
    await this.importing;
    // After the rescan in progress, which may have re-attached one.
    for (const watcher of this.watchers.values()) watcher.close();
    this.emit({ event: 'stopped', imports: this.imports, newMessages: this.newMessages });
  }

  private onPath(target: WatchTarget, path: string): void {
    if (this.stopping || this.ignored.has(path)) return;
    if (this.tracked.has(path)) {
      this.debounce(this.fileTimers, path, () => this.enqueue(path));
      return;
    }
    // A new file or directory, or one that is not a transcript: let a rescan of its root decide.
    const unknown = this.unknownEvents.get(target) ?? new Set();
    unknown.add(path);
    this.unknownEvents.set(target, unknown);
    this.debounce(this.rescanTimers, target, () => {
      this.rescanQueue.add(target);
      void this.runRescans();
    });
  }

  private debounce<K>(timers: Map<K, NodeJS.Timeout>, key: K, run: () => void): void {
    if (timers.has(key)) return;
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        if (!this.stopping) run();
      }, this.debounceMs),
    );
  }

  private enqueue(path: string): void {
    this.importQueue.add(path);
    void this.runImports();
  }

  private runRescans(): Promise<void> {
    this.rescanning ??= this.rescanLoop().finally(() => {
      this.rescanning = null;
      if (this.rescanQueue.size > 0 && !this.stopping) void this.runRescans();
    });
    return this.rescanning;
  }

  private runImports(): Promise<void> {
    this.importing ??= this.importLoop().finally(() => {
      this.importing = null;
      if (this.importQueue.size > 0 && !this.stopping) void this.runImports();
    });
    return this.importing;
  }

  private async rescanLoop(): Promise<void> {
    for (let target = first(this.rescanQueue); target !== undefined; target = first(this.rescanQueue)) {
      this.rescanQueue.delete(target);
      if (this.stopping) return;
      await this.rescan(target);
    }
  }

  private async importLoop(): Promise<void> {
    for (let path = first(this.importQueue); path !== undefined; path = first(this.importQueue)) {
      this.importQueue.delete(path);
      if (this.stopping) return;
      await this.importOne(path);
    }
  }

  /** Lists a target's transcripts and queues those that are new or changed since last read. */
  private async rescan(target: WatchTarget): Promise<void> {
    const unknown = this.unknownEvents.get(target);
    this.unknownEvents.delete(target);
    if (this.stopping) return;
    await this.watchers.get(target)?.refresh();
    const seen = new Set<string>();
    let queued = false;
    try {
      for (const format of target.formats) {
        for await (const path of format.discover(target.root)) {
          if (this.stopping) return;
          seen.add(path);
          queued = (await this.track(path, format)) || queued;
        }
      }
    } catch (error) {
      this.emit({ event: 'error', file: target.root, message: `rescan failed: ${(error as Error).message}` });
    }
    await this.forgetMissing(target.root, seen);
    if (unknown) await this.ignoreNonTranscripts(unknown, seen);
    if (queued) void this.runImports();
  }

  private async track(path: string, format: SourceFormat): Promise<boolean> {
    let entry = this.tracked.get(path);
    if (entry === undefined) {
      entry = { formats: [format], format: null, size: -1, mtimeMs: -1 };
      this.tracked.set(path, entry);
    } else if (!entry.formats.includes(format)) {
      entry.formats.push(format);
    }
    const info = await stat(path).catch(() => null);
    if (info === null || (info.size === entry.size && info.mtimeMs === entry.mtimeMs)) return false;
    this.importQueue.add(path);
    return true;
  }

  private async forgetMissing(root: string, seen: Set<string>): Promise<void> {
    for (const path of this.tracked.keys()) {
      if (seen.has(path) || !(path === root || path.startsWith(root + sep))) continue;
      if ((await stat(path).catch(() => null)) === null) {
        this.tracked.delete(path);
        this.lastSkip.delete(path);
      }
    }
  }

  private async ignoreNonTranscripts(paths: Set<string>, seen: Set<string>): Promise<void> {
    if (this.ignored.size > maxIgnored) this.ignored.clear();
    for (const path of paths) {
      if (seen.has(path) || this.tracked.has(path)) continue;
      const info = await stat(path).catch(() => null);
      if (info?.isFile()) this.ignored.add(path);
    }
  }

  private async importOne(path: string): Promise<void> {
    const entry = this.tracked.get(path);
    if (entry === undefined) return;
    const info = await stat(path).catch(() => null);
    if (info === null) {
      this.tracked.delete(path);
      return;
    }
    // Shrunk: truncated or replaced, perhaps by another format's file; decide again.
    if (info.size < entry.size) entry.format = null;
    entry.size = info.size;
    entry.mtimeMs = info.mtimeMs;
    let format = entry.format ?? (entry.formats.length === 1 ? entry.formats[0]! : null);
    if (format === null) {
      if (info.size === 0) return;
      const picked = await pickFormat(path, entry.formats);
      if (typeof picked === 'string') return this.reportSkip(path, null, picked);
      format = picked;
    }
    entry.format = format;
    let outcome: FileOutcome;
    try {
      outcome = await importFile({
        store: this.options.store,
        projectId: this.options.projectId,
        format,
        path,
        ...(this.options.pipeline ? { pipeline: this.options.pipeline } : {}),
      });
    } catch (error) {
      this.emit({ event: 'error', file: path, message: (error as Error).message });
      return;
    }
    this.report(path, format, outcome);
    if (outcome.status === 'imported') await this.markLive(path, info.mtimeMs, outcome.sessions);
  }

  private async markLive(path: string, mtimeMs: number, sessions: string[]): Promise<void> {
    const live = this.options.live;
    if (live === undefined || sessions.length === 0 || Date.now() - mtimeMs > live.windowMs) return;
    try {
      await live.sessions.written(sessions, `live capture: transcript written (watch)`);
    } catch (error) {
      this.emit({ event: 'error', file: path, message: `session lifecycle: ${(error as Error).message}` });
    }
  }

  private report(path: string, format: SourceFormat, outcome: FileOutcome): void {
    if (outcome.status === 'unchanged') return;
    if (outcome.status === 'skipped') {
      const entry = this.tracked.get(path);
      if (entry !== undefined && entry.formats.length > 1) entry.format = null;
      if (outcome.reason !== 'empty file') this.reportSkip(path, format.name, outcome.reason);
      return;
    }
    this.lastSkip.delete(path);
    const skippedLines = outcome.skippedLines.filter((l) => !l.reason.startsWith(incompleteTail));
    if (outcome.bytesRead === 0 && outcome.newMessages === 0 && skippedLines.length === 0) return;
    this.imports++;
    this.newMessages += outcome.newMessages;
    this.emit({
      event: 'imported',
      source: format.name,
      file: path,
      messages: outcome.messages,
      newMessages: outcome.newMessages,
      bytesRead: outcome.bytesRead,
      sessions: outcome.sessions,
      skippedLines,
    });
  }

  /** A file that cannot be read is reported once per reason, not on every write to it. */
  private reportSkip(path: string, source: string | null, reason: string): void {
    if (this.lastSkip.get(path) === reason) return;
    this.lastSkip.set(path, reason);
    this.emit({ event: 'skipped', source, file: path, reason });
  }

  private emit(body: WatchEventBody): void {
    this.options.onEvent({ ...body, time: new Date().toISOString() });
  }
}

function first<T>(set: Set<T>): T | undefined {
  for (const value of set) return value;
  return undefined;
}
