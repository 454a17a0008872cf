import { parseArgs } from 'node:util';
import { createClient, type ClientStats } from '../../src/client/index.ts';
import { loadMessage, numberOption } from './load-messages.ts';

/**
 * The SDK under a server that is killed and restarted: captures `--rate` messages per second
 * (`<prefix>-<n>`) until SIGTERM, then closes the client (waiting for the server) and prints how
 * many were captured and the client's counts. Every captured message must then be stored once.
 */

export type SdkReport = {
  captured: number;
  delivered: boolean;
  stats: ClientStats;
  /** The last warning of each kind, for diagnosis. */
  warnings: Record<string, string>;
};

const warnings: Record<string, string> = {};

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    key: { type: 'string', default: '' },
    prefix: { type: 'string', default: 'sdk' },
    rate: { type: 'string', default: '500' },
    transport: { type: 'string', default: 'http' },
  },
});
const client = createClient({
  url: values.url!,
  apiKey: values.key,
  transport: values.transport === 'websocket' ? 'websocket' : 'http',
  retryDelayMs: 50,
  maxRetryDelayMs: 500,
  onWarning: (warning) => {
    warnings[warning.code] = warning.message;
  },
});
let captured = 0;
const perTick = Math.max(1, Math.round(numberOption(values, 'rate') / 100));
const timer = setInterval(() => {
  for (let i = 0; i < perTick; i++) {
    client.capture(loadMessage(values.prefix, captured++, 10));
  }
}, 10);
process.once('SIGTERM', () => {
  clearInterval(timer);
  void client.close(600_000).then((delivered) => {
    const report: SdkReport = { captured, delivered, stats: client.stats(), warnings };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  });
});
