import { writeSync } from 'node:fs';

/**
 * Runs the real CLI entry point (bin/agentlog.js) and then reports the process's peak resident
 * memory and CPU time, worker threads included, on file descriptor 3 for the benchmark that spawned it.
 *
 * JavaScript, like bin/agentlog.js: a TypeScript entry would be type-stripped before the compile
 * cache is on, loading the stripper (~30 ms of CPU) for every measured command, which no user pays.
 */
process.once('beforeExit', () => {
  const usage = process.resourceUsage();
  writeSync(3, JSON.stringify({ maxRssKb: usage.maxRSS, cpuUs: usage.userCPUTime + usage.systemCPUTime }));
});
const entry = new URL('../../bin/agentlog.js', import.meta.url).href;
await import(entry);
