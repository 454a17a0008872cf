import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

/**
 * Files dealt round-robin to `threads` workers of the module at `url`, timed together: each worker
 * loads its modules and makes ready what must not be timed, says so, and the clock starts when all
 * have; it stops when the last has answered. The worker side is `serveTimedShare`.
 */
export async function timedShares<Data, Result>(
  url: URL,
  files: readonly string[],
  threads: number,
  data: (files: string[]) => Data,
): Promise<{ wallMs: number; results: Result[] }> {
  const shares: string[][] = Array.from({ length: threads }, () => []);
  files.forEach((f, i) => shares[i % threads]!.push(f));
  const pool = shares.map((share) => new Worker(url, { workerData: data(share) }));
  const ready = pool.map((worker) => new Promise((resolve) => worker.once('message', resolve)));
  const answers = pool.map(
    (worker) =>
      new Promise<Result>((resolve, reject) => {
        worker.on('message', (m: { result?: Result }) => {
          if (m.result !== undefined) resolve(m.result);
        });
        worker.once('error', reject);
      }),
  );
  await Promise.all(ready);
  const started = performance.now();
  for (const worker of pool) worker.postMessage('go');
  const results = await Promise.all(answers);
  const wallMs = performance.now() - started;
  await Promise.all(pool.map((w) => w.terminate()));
  return { wallMs, results };
}

/**
 * In a worker started by `timedShares` whose data `accepts`: `prepare` runs before the clock
 * starts, `run` is what is timed, and its result goes back.
 */
export function serveTimedShare<Data, State, Result>(
  accepts: (data: unknown) => data is Data,
  prepare: (data: Data) => State,
  run: (state: State) => Result,
): void {
  if (isMainThread || !accepts(workerData)) return;
  const state = prepare(workerData);
  parentPort!.once('message', () => parentPort!.postMessage({ result: run(state) }));
  parentPort!.postMessage({ ready: true });
}
