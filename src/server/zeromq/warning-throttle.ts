/**
 * At most one warning per interval: a sender flooding the socket with bad frames must not flood
 * the log too. The next warning written says how many were left out since the last one.
 */
export class WarningThrottle {
  private readonly write: (text: string, suppressed: number) => void;
  private readonly intervalMs: number;
  private last = -Infinity;
  private suppressed = 0;

  constructor(write: (text: string, suppressed: number) => void, intervalMs = 1000) {
    this.write = write;
    this.intervalMs = intervalMs;
  }

  warn(text: string): void {
    const now = performance.now();
    if (now - this.last < this.intervalMs) {
      this.suppressed++;
      return;
    }
    this.last = now;
    this.write(text, this.suppressed);
    this.suppressed = 0;
  }
}
