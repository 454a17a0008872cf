import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { latencyReport, loadMessage, numberOption } from './load-messages.ts';

/**
 * WebSocket load process: `--concurrency` connections to /v1/ws, each keeping `--window` message
 * frames unanswered, for `--warmup` + `--seconds`; the latency of a frame runs from its send to
 * its `ack`. Prints a LoadReport of the measured part.
 */

type Answer = { type: string; ref?: string; status?: string; retryAfterMs?: number };

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      key: { type: 'string', default: '' },
      prefix: { type: 'string', default: 'w' },
      window: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '4' },
      sessions: { type: 'string', default: '100' },
      warmup: { type: 'string', default: '1' },
      seconds: { type: 'string', default: '10' },
    },
  });
  const url = `${values.url!.replace(/^http/, 'ws')}/v1/ws`;
  const windowSize = numberOption(values, 'window');
  const sessions = numberOption(values, 'sessions');
  const started = performance.now();
  const measureFrom = started + numberOption(values, 'warmup') * 1000;
  const stopAt = measureFrom + numberOption(values, 'seconds') * 1000;
  const latencies: number[] = [];
  let next = 0;
  let measured = 0;
  let acknowledged = 0;
  let refusals = 0;

  const connection = () =>
    new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(url, { headers: { authorization: `Bearer ${values.key}` } });
      const sentAt = new Map<string, { at: number; frame: string }>();
      const send = () => {
        const n = next++;
        const ref = String(n);
        const frame = JSON.stringify({
          type: 'message',
          ref,
          message: loadMessage(values.prefix, n, sessions),
        });
        sentAt.set(ref, { at: performance.now(), frame });
        socket.send(frame);
      };
      socket.on('open', () => {
        for (let i = 0; i < windowSize; i++) send();
      });
      socket.on('message', (data) => {
        const answer = JSON.parse(data.toString()) as Answer;
        const sent = answer.ref === undefined ? undefined : sentAt.get(answer.ref);
        if (sent === undefined) return;
        if (answer.type === 'slow_down') {
          refusals++;
          setTimeout(() => {
            sent.at = performance.now();
            socket.send(sent.frame);
          }, answer.retryAfterMs ?? 100);
          return;
        }
        if (answer.status !== 'accepted') return reject(new Error(`frame ${answer.ref}: ${data.toString()}`));
        sentAt.delete(answer.ref!);
        acknowledged++;
        const now = performance.now();
        if (sent.at >= measureFrom && now <= stopAt) {
          measured++;
          latencies.push(now - sent.at);
        }
        if (now < stopAt) send();
        else if (sentAt.size === 0) socket.close();
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
  await Promise.all(Array.from({ length: numberOption(values, 'concurrency') }, connection));
  const seconds = numberOption(values, 'seconds');
  const report = latencyReport(
    { transport: 'websocket', messages: measured, seconds, refusals, acknowledged },
    latencies,
  );
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main();
