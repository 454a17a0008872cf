import { parentPort, workerData } from 'node:worker_threads';
import { lazyCountTokens, TokenMeter } from '../token-meter.ts';
import { ExampleSieve } from './example-sieve.ts';
import type { FromJudgeWorker, JudgeWorkerInit, ToJudgeWorker } from './judge-pool.ts';
import { lineFormatOf } from './line-format.ts';
import { workSession } from './session-work.ts';

/**
 * A worker thread of a build's first pass (judge-pool.ts): judges the sessions it is sent, in the
 * order sent, exactly as the build's own thread would (session-work.ts). It reads no store: the
 * pool's thread reads each session and sends it here.
 */
const port = parentPort!;
const { options } = workerData as JudgeWorkerInit;
const meter = new TokenMeter(lazyCountTokens(), options.exactTokens);
const worker = { options, meter, sieve: new ExampleSieve(options, meter, lineFormatOf(options)) };

port.on('message', ({ id, input }: ToJudgeWorker) => {
  let reply: FromJudgeWorker;
  try {
    reply = { id, outcome: workSession(input, worker) };
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown; hint?: unknown };
    reply = {
      id,
      error: {
        code: typeof e.code === 'string' ? e.code : 'INTERNAL',
        message: typeof e.message === 'string' ? e.message : String(error),
        ...(typeof e.hint === 'string' ? { hint: e.hint } : {}),
      },
    };
  }
  port.postMessage(reply);
});
