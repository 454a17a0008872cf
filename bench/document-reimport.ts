import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgentlog } from '../src/agentlog.ts';
import { loadConfig } from '../src/config/config.ts';
import { importFile } from '../src/ingest/import-file.ts';
import { gemini } from '../src/sources/gemini/index.ts';
import { chatText, legacyChat, legacyChatPath } from '../test/import/legacy-chat.ts';

/**
 * CPU of re-importing a long Gemini legacy chat after the CLI rewrote it with one more message
 * (and the last tool call's result filled in), against its first import. Each round uses a fresh
 * store. Usage: `node_modules/.bin/node bench/document-reimport.ts [messages] [rounds]`.
 */
const messages = Number(process.argv[2] ?? 256);
const rounds = Number(process.argv[3] ?? 5);
const bytesPerMessage = 2600;

const cpuMs = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

const first: number[] = [];
const again: number[] = [];
let size = 0;
for (let round = 0; round < rounds; round++) {
  const dir = mkdtempSync(join(tmpdir(), 'reimport-'));
  const agentlog = await createAgentlog(loadConfig({ flags: { dataDir: dir }, env: {}, home: dir }));
  const file = legacyChatPath(join(dir, 'gemini'));
  const options = { store: agentlog.store, projectId: agentlog.project.id, format: gemini, path: file };
  writeFileSync(file, chatText(legacyChat(messages, bytesPerMessage, true)));
  size = statSync(file).size;
  let start = process.cpuUsage();
  await importFile(options);
  first.push(cpuMs(start));
  writeFileSync(file, chatText(legacyChat(messages + 1, bytesPerMessage)));
  start = process.cpuUsage();
  const outcome = await importFile(options);
  again.push(cpuMs(start));
  if (outcome.status !== 'imported' || outcome.newMessages !== 1) throw new Error(JSON.stringify(outcome));
  await agentlog.close();
  rmSync(dir, { recursive: true, force: true });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `${messages} messages, ${(size / 1024).toFixed(0)} KiB: first import ${median(first).toFixed(1)} ms CPU, ` +
    `re-import after one more message ${median(again).toFixed(1)} ms CPU (median of ${rounds}; ` +
    `all: ${again.map((x) => x.toFixed(0)).join(' ')})`,
);
