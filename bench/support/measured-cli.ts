import { writeSync } from 'node:fs';

/**
 * Runs the real CLI entry point (bin/agentlog.js) and then reports the process's peak resident
 * memory and CPU time, worker threads included, on file descriptor 3 for the benchmark that spawned it.
 */
process.once('beforeExit', () => {
  const usage = process.resourceUsage();
  writeSync(3, JSON.stringify({ maxRssKb: usage.maxRSS, cpuUs: usage.userCPUTime + usage.systemCPUTime }));
});
const entry = new URL('../../bin/agentlog.js', import.meta.url).href;
await import(entry);
