import type { Store, WriteBatch, WriteResult } from '../storage/ports.ts';
import { batchBytes } from './import-writer.ts';

/** What a write returns before its commit: the real counts arrive later, through `settled`. */
const notYetCommitted: WriteResult = {
  newMessages: 0,
  duplicateMessages: 0,
  newRawRecords: 0,
  messageStatus: [],
};

/** One file's writes: `write` is the store's write for importFile; `settled` waits for all of them. */
export type FileWrites = { write: Store['write']; settled: () => Promise<number> };

/**
 * Write-behind for an import lane: a batch is handed to the writer and reading goes on at once,
 * while up to `budgetBytes` of the lane's batches are queued or committing (memory stays
 * bounded). A file's outcome must wait for `settled`, which resolves with the number of new
 * messages its commits reported, or fails with the first failed write. Once a write of a file has
 * failed, its next write fails at once.
 */
export class WriteBehind {
  private readonly send: (batch: WriteBatch) => Promise<WriteResult>;
  private readonly budgetBytes: number;
  private inFlight = 0;
  private waiting: (() => void)[] = [];

  constructor(send: (batch: WriteBatch) => Promise<WriteResult>, budgetBytes: number) {
    this.send = send;
    this.budgetBytes = budgetBytes;
  }

  file(): FileWrites {
    const writes: Promise<WriteResult>[] = [];
    let failure: unknown = null;
    const write = async (batch: WriteBatch): Promise<WriteResult> => {
      const bytes = batchBytes(batch);
      while (this.inFlight > 0 && this.inFlight + bytes > this.budgetBytes)
        await new Promise<void>((resolve) => this.waiting.push(resolve));
      if (failure !== null) throw failure;
      this.inFlight += bytes;
      const sent = this.send(batch);
      writes.push(sent);
      const release = () => {
        this.inFlight -= bytes;
        for (const wake of this.waiting.splice(0)) wake();
      };
      sent.then(release, (error: unknown) => {
        failure ??= error;
        release();
      });
      return notYetCommitted;
    };
    const settled = async () => {
      let newMessages = 0;
      for (const result of await Promise.all(writes)) newMessages += result.newMessages;
      return newMessages;
    };
    return { write, settled };
  }
}
