/** Retry delays: exponential with full jitter, so many clients coming back do not arrive together. */
export type BackoffOptions = { initialDelayMs: number; maxDelayMs: number };

/** The wait before retry number `attempt` (1 for the first retry). */
export function backoffDelay(attempt: number, options: BackoffOptions, random = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(options.initialDelayMs / 2 + random() * (ceiling - options.initialDelayMs / 2));
}

/** A timer that never keeps the host process alive, and that `cancel` cuts short. */
export function pause(ms: number): { done: Promise<void>; cancel(): void } {
  let cancel = () => {};
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
    cancel = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { done, cancel };
}
