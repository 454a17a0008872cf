import { Worker } from 'node:worker_threads';
import type { BuildOptions } from '../../config/datasets-config.ts';
import { AgentlogError, errorCodes, type ErrorCode } from '../../domain/errors.ts';
import type { SessionInput } from './session-source.ts';
import type { SessionOutcome } from './session-work.ts';

export type JudgeWorkerInit = { options: BuildOptions };
export type ToJudgeWorker = { id: number; input: SessionInput };
export type FromJudgeWorker =
  | { id: number; outcome: SessionOutcome }
  | { id: number; error: { code: string; message: string; hint?: string } };

type Pending = { resolve: (outcome: SessionOutcome) => void; reject: (error: Error) => void };

/**
 * Worker threads for the first pass of a build: sessions go round-robin to the workers, each
 * judged there (the CPU work: conversion, strategies, quality, validation, the secret gate,
 * hashing); the caller awaits the outcomes in session order, so the build stays the same bytes
 * whatever the number of threads.
 */
export class JudgePool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private failure: Error | null = null;

  constructor(count: number, options: BuildOptions) {
    this.workers = Array.from({ length: count }, () => {
      const worker = new Worker(new URL('./judge-worker.ts', import.meta.url), {
        workerData: { options } satisfies JudgeWorkerInit,
      });
      worker.on('message', (message: FromJudgeWorker) => this.settle(message));
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a build worker exited with code ${code}`));
      });
      return worker;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  judge(input: SessionInput): Promise<SessionOutcome> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.next++;
    const worker = this.workers[id % this.workers.length]!;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, input } satisfies ToJudgeWorker);
    });
  }

  private settle(message: FromJudgeWorker): void {
    const waiting = this.pending.get(message.id);
    if (waiting === undefined) return;
    this.pending.delete(message.id);
    if ('outcome' in message) return waiting.resolve(message.outcome);
    const code = (message.error.code in errorCodes ? message.error.code : 'INTERNAL') as ErrorCode;
    waiting.reject(
      new AgentlogError(
        code,
        message.error.message,
        message.error.hint === undefined ? {} : { hint: message.error.hint },
      ),
    );
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
