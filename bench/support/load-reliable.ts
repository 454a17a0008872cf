import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { loadMessage, numberOption } from './load-messages.ts';

/**
 * The reliability load process: `--concurrency` loops POST batches of `--batch` new messages
 * (`<prefix>-<n>`) to a server that is being killed and restarted. A batch is sent again, the
 * same ids, until it is answered 207; only then is it acknowledged. On SIGTERM the loops finish
 * their batches and the process prints what was acknowledged.
 */

export type ReliableReport = {
  batch: number;
  /** The first message number of every acknowledged batch. */
  acknowledged: number[];
  /** Messages answered `duplicate`: stored by an attempt whose answer was lost. */
  duplicates: number;
  /** Attempts that failed (connection refused or reset, 503, timeout) and were made again. */
  retries: number;
};

function post(agent: Agent, url: URL, key: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        timeout: 10_000,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      key: { type: 'string', default: '' },
      prefix: { type: 'string', default: 'r' },
      batch: { type: 'string', default: '50' },
      concurrency: { type: 'string', default: '4' },
    },
  });
  const url = new URL('/v1/messages:batch', values.url);
  const batch = numberOption(values, 'batch');
  const agent = new Agent({ keepAlive: true });
  const report: ReliableReport = { batch, acknowledged: [], duplicates: 0, retries: 0 };
  let stopping = false;
  let next = 0;
  process.once('SIGTERM', () => (stopping = true));

  /** One attempt: done once answered 207, retry when the server is away or busy. */
  const attempt = async (body: string): Promise<'done' | 'retry'> => {
    let answer: { status: number; text: string };
    try {
      answer = await post(agent, url, values.key, body);
    } catch {
      return 'retry'; // refused, reset by the kill, or timed out
    }
    if (answer.status === 429 || answer.status === 503) return 'retry';
    if (answer.status !== 207) throw new Error(`HTTP ${answer.status}: ${answer.text}`);
    const { results } = JSON.parse(answer.text) as { results: { status: string }[] };
    if (results.some((r) => r.status === 'rejected')) throw new Error(`rejected: ${answer.text}`);
    report.duplicates += results.filter((r) => r.status === 'duplicate').length;
    return 'done';
  };
  const sendUntilAnswered = async (first: number) => {
    const messages = Array.from({ length: batch }, (_, i) => loadMessage(values.prefix, first + i, 20));
    const body = JSON.stringify({ messages });
    while ((await attempt(body)) === 'retry') {
      report.retries++;
      await sleep(50);
    }
    report.acknowledged.push(first);
  };
  const loop = async () => {
    while (!stopping) {
      const first = next;
      next += batch;
      await sendUntilAnswered(first);
    }
  };
  await Promise.all(Array.from({ length: numberOption(values, 'concurrency') }, loop));
  agent.destroy();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main();
