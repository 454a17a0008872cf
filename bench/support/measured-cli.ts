import { writeSync } from 'node:fs';

/**
 * Runs the real CLI entry point (bin/agentlog.js) and then reports the process's peak resident
 * memory, worker threads included, on file descriptor 3 for the benchmark that spawned it.
 */
process.once('beforeExit', () => {
  writeSync(3, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
});
const entry = new URL('../../bin/agentlog.js', import.meta.url).href;
await import(entry);
