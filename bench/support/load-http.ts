import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { latencyReport, loadMessage, numberOption } from './load-messages.ts';

/**
 * HTTP load process: `--concurrency` keep-alive connections each POST batches of `--batch`
 * messages back to back for `--warmup` + `--seconds`; prints a LoadReport of the measured part.
 * Run by bench/ingest.ts in its own process, so it never shares a CPU thread with the server.
 */

type Answer = { status: number; body: string; retryAfter: number };

function post(agent: Agent, url: URL, key: string, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text,
            retryAfter: Number(res.headers['retry-after'] ?? 1),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      key: { type: 'string', default: '' },
      prefix: { type: 'string', default: 'h' },
      batch: { type: 'string', default: '100' },
      concurrency: { type: 'string', default: '8' },
      sessions: { type: 'string', default: '100' },
      warmup: { type: 'string', default: '1' },
      seconds: { type: 'string', default: '10' },
    },
  });
  const url = new URL('/v1/messages:batch', values.url);
  const batch = numberOption(values, 'batch');
  const sessions = numberOption(values, 'sessions');
  const agent = new Agent({ keepAlive: true, maxSockets: numberOption(values, 'concurrency') });
  const started = performance.now();
  const measureFrom = started + numberOption(values, 'warmup') * 1000;
  const stopAt = measureFrom + numberOption(values, 'seconds') * 1000;
  const latencies: number[] = [];
  let next = 0;
  let measured = 0;
  let acknowledged = 0;
  let refusals = 0;

  const worker = async () => {
    while (performance.now() < stopAt) {
      const first = next;
      next += batch;
      const parts: string[] = [];
      for (let n = first; n < first + batch; n++)
        parts.push(JSON.stringify(loadMessage(values.prefix, n, sessions)));
      const body = `{"messages":[${parts.join(',')}]}`;
      for (;;) {
        const sentAt = performance.now();
        const answer = await post(agent, url, values.key, body);
        const ackAt = performance.now();
        if (answer.status === 207) {
          acknowledged += batch;
          if (sentAt >= measureFrom && ackAt <= stopAt) {
            measured += batch;
            for (let i = 0; i < batch; i++) latencies.push(ackAt - sentAt);
          }
          break;
        }
        if (answer.status !== 429 && answer.status !== 503)
          throw new Error(`HTTP ${answer.status}: ${answer.body.slice(0, 300)}`);
        refusals++;
        await new Promise((resolve) => setTimeout(resolve, answer.retryAfter * 1000));
      }
    }
  };
  await Promise.all(Array.from({ length: numberOption(values, 'concurrency') }, worker));
  agent.destroy();
  const seconds = numberOption(values, 'seconds');
  const report = latencyReport(
    { transport: 'http', messages: measured, seconds, refusals, acknowledged },
    latencies,
  );
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main();
