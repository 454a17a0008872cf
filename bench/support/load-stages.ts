import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAgentlog } from '../../src/agentlog.ts';
import { loadConfig } from '../../src/config/config.ts';
import { apiMessageRecord } from '../../src/ingest/api-messages.ts';
import { Ingestor } from '../../src/ingest/ingestor.ts';
import { PreparePool } from '../../src/ingest/prepare-pool.ts';
import { IngestPipeline } from '../../src/enrich/ingest-pipeline.ts';
import { parseApiMessage } from '../../src/server/parse-api-message.ts';
import type { ParsedRecord } from '../../src/sources/source-format.ts';
import { loadMessage, numberOption } from './load-messages.ts';

/**
 * Where the server's CPU goes per message, without the network: the benchmark's messages pass
 * the same stages as in `ApiIngest` and the group committer, in one process, timed in CPU time
 * (so other work on the machine does not inflate it). The first round warms up; the second counts.
 */

/**
 * `handoffUs`: what `Ingestor.add` leaves on the writing thread when a prepare worker does the
 * rest (sending the records, taking the prepared ones back, queueing them); `workerUs`: the
 * worker's share, the process's CPU beyond this thread's.
 */
export type StageReport = {
  messages: number;
  frontUs: number;
  addUs: number;
  writeUs: number;
  handoffUs: number;
  workerUs: number;
};

const cpuUs = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** CPU time of this thread alone (Linux): process.cpuUsage counts every thread. */
const threadUs = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1000;

async function round(prefix: string, count: number, commit: number): Promise<StageReport> {
  const home = mkdtempSync(join(tmpdir(), 'agentlog-bench-stages-'));
  const agentlog = await createAgentlog(loadConfig({ flags: { dataDir: home }, env: {}, home }));
  try {
    const bodies = Array.from({ length: count }, (_, n) => JSON.stringify(loadMessage(prefix, n, 100)));
    let started = cpuUs();
    const items = bodies.map((body, seq) => {
      const parsed = parseApiMessage(JSON.parse(body));
      if (!parsed.success) throw new Error(`invalid load message: ${parsed.error.message}`);
      return { record: apiMessageRecord(parsed.data, Date.now(), seq), raw: Buffer.from(body) };
    });
    const frontUs = cpuUs() - started;
    const ingestor = new Ingestor(agentlog.store, agentlog.project.id, 'api');
    let addUs = 0;
    let writeUs = 0;
    for (let i = 0; i < count; i += commit) {
      started = cpuUs();
      for (const [line, item] of items.slice(i, i + commit).entries())
        ingestor.add(item.record, { bytes: item.raw, line, offset: 0 });
      addUs += cpuUs() - started;
      started = cpuUs();
      await ingestor.flush();
      writeUs += cpuUs() - started;
    }
    const { handoffUs, workerUs } = await pooled(agentlog, items, commit);
    return {
      messages: count,
      frontUs: frontUs / count,
      addUs: addUs / count,
      writeUs: writeUs / count,
      handoffUs: handoffUs / count,
      workerUs: workerUs / count,
    };
  } finally {
    await agentlog.close();
    rmSync(home, { recursive: true, force: true });
  }
}

/** The add stage again, as the server runs it with a prepare worker (see GroupCommitter). */
async function pooled(
  agentlog: Awaited<ReturnType<typeof createAgentlog>>,
  items: { record: ParsedRecord; raw: Uint8Array }[],
  commit: number,
): Promise<{ handoffUs: number; workerUs: number }> {
  const pool = new PreparePool(1);
  const pipeline = new IngestPipeline();
  try {
    // Unmeasured: the worker's start and the first build of its pipeline.
    await pool.prepare(pipeline, items.slice(0, 1));
    const thread = threadUs();
    const all = cpuUs();
    for (let i = 0; i < items.length; i += commit) {
      const chunk = items.slice(i, i + commit);
      const prepared = await pool.prepare(pipeline, chunk);
      // Queued, not written: the write is measured above.
      const ingestor = new Ingestor(agentlog.store, agentlog.project.id, 'api', pipeline);
      prepared.forEach((item, line) => ingestor.addPrepared(item, { line, offset: 0 }));
    }
    const handoffUs = threadUs() - thread;
    return { handoffUs, workerUs: cpuUs() - all - handoffUs };
  } finally {
    await pool.close();
  }
}

const { values } = parseArgs({
  options: { messages: { type: 'string', default: '5000' }, commit: { type: 'string', default: '500' } },
});
const count = numberOption(values, 'messages');
const commit = numberOption(values, 'commit');
await round('warm', count, commit);
process.stdout.write(`${JSON.stringify(await round('stage', count, commit))}\n`);
