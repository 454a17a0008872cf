import type { CliIo } from './io.ts';

/** A progress bar on stderr, drawn only for a terminal, at most ten times a second. */
export function createProgressBar(io: CliIo, label: string) {
  const enabled = io.stderr.isTTY === true && io.env.CI === undefined;
  let last = 0;
  let drawn = false;
  return {
    update(done: number, total: number, detail: string): void {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const ratio = total > 0 ? Math.min(1, done / total) : 0;
      const width = 28;
      const filled = Math.round(ratio * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      io.stderr.write(`\r${label} ${bar} ${(ratio * 100).toFixed(0).padStart(3)}% ${detail}\u001b[K`);
      drawn = true;
    },
    done(): void {
      if (drawn) io.stderr.write('\r\u001b[K');
    },
  };
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
