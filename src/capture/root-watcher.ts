import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Follows one root with `fs.watch` (recursive for a directory; for a single file, its directory,
 * so a replaced file is still seen) and reports the paths that changed. Events can be lost, so
 * this is only the fast path: `refresh()` is called on every rescan to attach the watcher once
 * the root exists and to re-attach it when the root was deleted or replaced.
 */
export class RootWatcher {
  readonly root: string;
  private readonly onPath: (path: string) => void;
  private readonly onError: (message: string) => void;
  private watcher: FSWatcher | null = null;
  private inode: number | null = null;

  constructor(root: string, onPath: (path: string) => void, onError: (message: string) => void) {
    this.root = root;
    this.onPath = onPath;
    this.onError = onError;
  }

  /** Attaches or re-attaches the watcher as needed; says whether the root exists. */
  async refresh(): Promise<boolean> {
    const info = await stat(this.root).catch(() => null);
    if (info === null) {
      this.close();
      return false;
    }
    if (this.watcher !== null && this.inode === info.ino) return true;
    this.close();
    try {
      this.watcher = info.isDirectory() ? this.watchDirectory() : this.watchFile();
      this.inode = info.ino;
      this.watcher.on('error', (error) => {
        this.onError(`watching ${this.root} failed (${error.message}); relying on rescans`);
        this.close();
      });
    } catch (error) {
      this.onError(`cannot watch ${this.root} (${(error as Error).message}); relying on rescans`);
    }
    return true;
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
    this.inode = null;
  }

  private watchDirectory(): FSWatcher {
    return watch(this.root, { recursive: true, persistent: true }, (_event, name) => {
      this.onPath(name ? join(this.root, name) : this.root);
    });
  }

  private watchFile(): FSWatcher {
    const name = basename(this.root);
    return watch(dirname(this.root), { persistent: true }, (_event, changed) => {
      if (!changed || changed === name) this.onPath(this.root);
    });
  }
}
