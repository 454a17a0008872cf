import type { Entry } from './outbox.ts';
import {
  describeError,
  retryAll,
  type SendOutcome,
  type Settled,
  type Transport,
  type TransportOptions,
} from './transport.ts';
import type { WireBatchResponse } from './wire.ts';

type Answer = { status: number; text: string; retryAfterMs: number | undefined };

/**
 * HTTP: consecutive messages go out as one `POST /v1/messages:batch`; a session stop is a
 * request of its own, sent only after the messages captured before it were answered.
 */
export class HttpTransport implements Transport {
  private readonly options: TransportOptions;
  private readonly maxBatchMessages: number;
  private readonly base: string;

  constructor(options: TransportOptions, maxBatchMessages: number) {
    this.options = options;
    this.maxBatchMessages = maxBatchMessages;
    this.base = options.url.replace(/\/+$/, '');
  }

  fits(entry: Entry, taken: readonly Entry[]): boolean {
    const first = taken[0];
    if (first === undefined) return true;
    if (entry.type !== 'message' || first.type !== 'message' || taken.length >= this.maxBatchMessages)
      return false;
    let bytes = entry.bytes;
    for (const e of taken) bytes += e.bytes;
    return bytes <= this.options.maxBatchBytes;
  }

  async send(entries: Entry[]): Promise<SendOutcome> {
    const first = entries[0];
    if (first === undefined) return { settled: [], retry: [] };
    try {
      return await (first.type === 'session_stop' ? this.stop(first) : this.batch(entries));
    } catch (error) {
      // An answer that is not what the API promises (a proxy's error page): try again later.
      return retryAll(entries, 'server_error', `unreadable answer: ${describeError(error)}`);
    }
  }

  close(): void {}

  private async batch(entries: Entry[]): Promise<SendOutcome> {
    const body = `{"messages":[${entries.map((e) => e.body).join(',')}]}`;
    const answer = await this.post('/v1/messages:batch', body);
    if ('failed' in answer)
      return retryAll(entries, answer.timedOut ? 'timeout' : 'unreachable', answer.failed);
    if (answer.status === 207) return { settled: settledFrom(entries, answer.text), retry: [] };
    if (answer.status === 413 && entries.length > 1) return this.halves(entries);
    return this.refused(entries, answer);
  }

  /** Over the server's batch limits: the halves, one after the other. */
  private async halves(entries: Entry[]): Promise<SendOutcome> {
    const middle = Math.ceil(entries.length / 2);
    const first = await this.batch(entries.slice(0, middle));
    if (first.retry.length > 0) return { ...first, retry: [...first.retry, ...entries.slice(middle)] };
    const second = await this.batch(entries.slice(middle));
    return { ...second, settled: [...first.settled, ...second.settled] };
  }

  private async stop(entry: Entry): Promise<SendOutcome> {
    const answer = await this.post(`/v1/sessions/${encodeURIComponent(entry.id)}/stop`, entry.body);
    if ('failed' in answer)
      return retryAll([entry], answer.timedOut ? 'timeout' : 'unreachable', answer.failed);
    if (answer.status === 200) {
      const transition = (JSON.parse(answer.text) as { transition: unknown }).transition;
      return { settled: [{ entry, status: transition === null ? 'duplicate' : 'accepted' }], retry: [] };
    }
    return this.refused([entry], answer);
  }

  /** Anything but success: retried when it may pass later, settled as rejected when it never will. */
  private refused(entries: Entry[], answer: Answer): SendOutcome {
    const detail = `HTTP ${answer.status}: ${errorMessage(answer.text)}`;
    if (answer.status === 429 || answer.status === 503)
      return retryAll(entries, 'busy', detail, answer.retryAfterMs);
    if (answer.status === 401 || answer.status === 403) return retryAll(entries, 'unauthorized', detail);
    if (answer.status >= 500 || answer.status === 408) return retryAll(entries, 'server_error', detail);
    const settled: Settled[] = entries.map((entry) => ({ entry, status: 'rejected', reason: detail }));
    return { settled, retry: [] };
  }

  private async post(path: string, body: string): Promise<Answer | { failed: string; timedOut: boolean }> {
    try {
      const response = await fetch(`${this.base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.apiKey}`, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      const text = await response.text();
      const retryAfter = Number(response.headers.get('retry-after'));
      return {
        status: response.status,
        text,
        retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      };
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      return { failed: describeError(error), timedOut };
    }
  }
}

/** The per-message results of a 207 answer, matched to the entries by index. */
function settledFrom(entries: Entry[], text: string): Settled[] {
  const { results } = JSON.parse(text) as WireBatchResponse;
  return entries.map((entry, index) => {
    const result = results[index];
    if (result === undefined) return { entry, status: 'rejected', reason: 'no result in the answer' };
    return {
      entry,
      status: result.status,
      ...(result.reason === undefined ? {} : { reason: result.reason }),
    };
  });
}

function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: string } };
    return body.error?.message ?? text.slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}
