import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAgentlog } from '../../src/agentlog.ts';
import { loadConfig } from '../../src/config/config.ts';
import { apiMessageRecord } from '../../src/ingest/api-messages.ts';
import { Ingestor } from '../../src/ingest/ingestor.ts';
import { parseApiMessage } from '../../src/server/parse-api-message.ts';
import { loadMessage, numberOption } from './load-messages.ts';

/**
 * Where the server's CPU goes per message, without the network: the benchmark's messages pass
 * the same stages as in `ApiIngest` and the group committer, in one process, timed in CPU time
 * (so other work on the machine does not inflate it). The first round warms up; the second counts.
 */

export type StageReport = { messages: number; frontUs: number; addUs: number; writeUs: number };

const cpuUs = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

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
    return { messages: count, frontUs: frontUs / count, addUs: addUs / count, writeUs: writeUs / count };
  } finally {
    await agentlog.close();
    rmSync(home, { recursive: true, force: true });
  }
}

const { values } = parseArgs({
  options: { messages: { type: 'string', default: '5000' }, commit: { type: 'string', default: '500' } },
});
const count = numberOption(values, 'messages');
const commit = numberOption(values, 'commit');
await round('warm', count, commit);
process.stdout.write(`${JSON.stringify(await round('stage', count, commit))}\n`);
