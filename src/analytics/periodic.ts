/** A task run on a schedule; `stop` cancels the next run and waits for the one in progress. */
export type Periodic = { stop(): Promise<void> };

export type PeriodicOptions = {
  /** Run once at the start too (default: first run after one interval). */
  immediately?: boolean;
  /** A failed run is reported here and the schedule goes on. */
  onError(error: unknown): void;
  /** Keep the process alive while waiting (a command's own loop); a server's timers do not. */
  keepAlive?: boolean;
};

/** Runs `task` every `everyMs`, never two runs at once: the next interval starts when a run ends. */
export function startPeriodic(
  task: () => Promise<void>,
  everyMs: number,
  options: PeriodicOptions,
): Periodic {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(run, delay);
    if (options.keepAlive !== true) timer.unref();
  };
  const run = () => {
    timer = null;
    running = task()
      .catch((error: unknown) => options.onError(error))
      .finally(() => {
        running = null;
        schedule(everyMs);
      });
  };
  schedule(options.immediately === true ? 0 : everyMs);
  return {
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      await running;
    },
  };
}
