import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Push } from 'zeromq';
import { latencyReport, loadMessage, numberOption } from './load-messages.ts';

/**
 * ZeroMQ load process: one PUSH socket sends frames of `--batch` messages as fast as the socket
 * takes them (it blocks at its high-water mark while the server is busy) for `--warmup` +
 * `--seconds`. ZeroMQ has no acknowledgement, so what counts is what the server reports as
 * committed in /metrics (read with an admin key): the rate over the measured window, then a wait
 * until every message sent is counted. Latency cannot be seen from the sender: reported as null.
 */

async function committed(url: string, adminKey: string): Promise<number> {
  const text = await (
    await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${adminKey}` } })
  ).text();
  let total = 0;
  for (const name of ['agentlog_messages_ingested_total', 'agentlog_messages_duplicate_total']) {
    const match = new RegExp(`^${name}\\{transport="zeromq"\\} (\\d+)$`, 'm').exec(text);
    total += Number(match?.[1] ?? 0);
  }
  return total;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      endpoint: { type: 'string' },
      'admin-key': { type: 'string', default: '' },
      prefix: { type: 'string', default: 'z' },
      batch: { type: 'string', default: '1' },
      sessions: { type: 'string', default: '100' },
      warmup: { type: 'string', default: '1' },
      seconds: { type: 'string', default: '10' },
    },
  });
  const url = values.url!;
  const admin = values['admin-key'];
  const batch = numberOption(values, 'batch');
  const sessions = numberOption(values, 'sessions');
  const seconds = numberOption(values, 'seconds');
  const push = new Push({ sendHighWaterMark: 1000 });
  push.connect(values.endpoint!);

  const before = await committed(url, admin);
  const started = performance.now();
  const measureFrom = started + numberOption(values, 'warmup') * 1000;
  const stopAt = measureFrom + seconds * 1000;
  let atStart: number | null = null;
  let atEnd: number | null = null;
  // The sender is busy; a timer reads the counts at the window's edges.
  const edges = (async () => {
    await sleep(measureFrom - performance.now());
    atStart = await committed(url, admin);
    await sleep(stopAt - performance.now());
    atEnd = await committed(url, admin);
  })();
  let sent = 0;
  while (performance.now() < stopAt) {
    const messages = [];
    for (let i = 0; i < batch; i++) messages.push(loadMessage(values.prefix, sent + i, sessions));
    await push.send(batch === 1 ? JSON.stringify(messages[0]) : JSON.stringify({ messages }));
    sent += batch;
  }
  await edges;
  for (let i = 0; i < 1200 && (await committed(url, admin)) - before < sent; i++) await sleep(50);
  const arrived = (await committed(url, admin)) - before;
  push.close();
  const measured = (atEnd ?? 0) - (atStart ?? 0);
  const report = latencyReport(
    { transport: 'zeromq', messages: measured, seconds, refusals: 0, acknowledged: arrived },
    [],
  );
  process.stdout.write(`${JSON.stringify({ ...report, sent })}\n`);
}

await main();
