import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  IngestPipeline,
  defaultPipelineSettings,
  type PipelineSettings,
} from '../src/enrich/ingest-pipeline.ts';
import { runEnrichers } from '../src/enrich/run-enrichers.ts';
import { loadTokenCounter } from '../src/enrich/tokens.ts';
import { claudeCode } from '../src/sources/claude-code/index.ts';
import type { ParsedRecord } from '../src/sources/source-format.ts';
import { walkFiles } from '../src/sources/shared/walk.ts';
import { claudeCorpus } from './generate-claude-corpus.ts';
import { printTable, type Goal, type Row } from './support/report.ts';
import { serveTimedShare, timedShares } from './support/timed-workers.ts';

type Item = { record: ParsedRecord; raw: Uint8Array };

const encoder = new TextEncoder();

/** Every record of the files, with the bytes of its line (what the Ingestor hands the pipeline). */
function loadRecords(files: readonly string[]): Item[] {
  if (claudeCode.layout !== 'lines') throw new Error('claude-code is a JSON Lines format');
  const items: Item[] = [];
  for (const file of files) {
    const parser = claudeCode.createParser(file);
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.length === 0) return;
        const parsed = parser.parse(JSON.parse(line), i + 1);
        const raw = encoder.encode(line);
        for (const record of Array.isArray(parsed) ? parsed : [parsed as ParsedRecord])
          items.push({ record, raw });
      });
  }
  return items;
}

/**
 * CPU milliseconds of this thread for `work`: on a machine shared with other work, wall time
 * measures the others too; the thread's CPU time is (nearly) ours alone.
 */
function cpuMs(work: () => void): number {
  const before = process.threadCpuUsage();
  work();
  const used = process.threadCpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** CPU ms of `prepare` with these settings over all items (best of `rounds`). */
function timePipeline(items: readonly Item[], settings: PipelineSettings, rounds: number): number {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const pipeline = new IngestPipeline(settings);
    best = Math.min(
      best,
      cpuMs(() => {
        for (const item of items) pipeline.prepare(item.record, item.raw);
      }),
    );
  }
  return best;
}

/** Bytes of the distinct raw lines (records cut from one line share it). */
function sumBytes(items: readonly Item[]): number {
  let total = 0;
  for (const raw of new Set(items.map((i) => i.raw))) total += raw.byteLength;
  return total;
}

const messagesOf = (items: readonly Item[]) => items.filter((i) => i.record.message !== null).length;
const us = (value: number) => `${value.toFixed(1)} µs`;

async function inWorkers(files: string[], workers: number): Promise<{ wallMs: number; messages: number }> {
  const { wallMs, results } = await timedShares<string[], number>(
    new URL(import.meta.url),
    files,
    workers,
    (share) => share,
  );
  return { wallMs, messages: results.reduce((sum, n) => sum + n, 0) };
}

/**
 * `npm run bench -- enrich [--size MB]`: the cost per message of redaction and ingest enrichment
 * (the pipeline every record passes before its first write), on a generated Claude Code corpus,
 * on one core and on all of them; with, for comparison, secretlint and exact token counts.
 */
/** What the analytics benchmark reports of the ingest pipeline: per message on one core, and on all cores. */
export type PipelineCost = {
  messages: number;
  redactionUs: number;
  enrichmentUs: number;
  fullUs: number;
  cores: number;
  perSecondAllCores: number;
};

/** Redaction and enrichment cost on a generated Claude Code corpus of `sizeMb` (CPU time of one thread). */
export async function pipelineCost(sizeMb: number, log: (line: string) => void): Promise<PipelineCost> {
  return (await measurePipeline(sizeMb, log)).cost;
}

async function measurePipeline(sizeMb: number, log: (line: string) => void) {
  const corpus = claudeCorpus(sizeMb, log);
  const files: string[] = [];
  for await (const path of walkFiles(corpus.projects, (p) => p.endsWith('.jsonl'))) files.push(path);
  const items = loadRecords(files);
  const messages = messagesOf(items);
  const settings = (redaction: PipelineSettings['redaction'], enrich: boolean): PipelineSettings => ({
    ...defaultPipelineSettings,
    redaction,
    enrich,
  });
  const perMessage = (millis: number) => (millis * 1000) / messages;
  const off = perMessage(timePipeline(items, settings({ policy: 'off', pii: false }, false), 2));
  const secrets = perMessage(timePipeline(items, settings({ policy: 'mask', pii: false }, false), 2));
  const redact = perMessage(timePipeline(items, settings({ policy: 'mask', pii: true }, false), 2));
  const enrich = perMessage(timePipeline(items, settings({ policy: 'off', pii: false }, true), 2));
  const full = perMessage(timePipeline(items, defaultPipelineSettings, 2));
  const cores = availableParallelism();
  const parallel = await inWorkers(files, cores);
  const cost: PipelineCost = {
    messages,
    redactionUs: redact - off,
    enrichmentUs: enrich - off,
    fullUs: full,
    cores,
    perSecondAllCores: (parallel.messages / parallel.wallMs) * 1000,
  };
  return { corpus, files, items, cost, offUs: off, secretsUs: secrets - off, parallel };
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { size: { type: 'string', default: '20' } } });
  const load = loadavg()[0]!;
  const { corpus, files, items, cost, offUs, secretsUs, parallel } = await measurePipeline(
    Number(values.size),
    (line) => console.log(line),
  );
  const { messages, cores } = cost;
  const rawBytes = sumBytes(items);

  const sample = items.filter((i) => i.record.message !== null).slice(0, 500);
  const tokens = await loadTokenCounter();
  const tokensUs =
    (cpuMs(() => {
      for (const item of sample) runEnrichers([tokens], item.record.message!);
    }) *
      1000) /
    sample.length;

  const { lintSource } = await import('@secretlint/core');
  const { creator: preset } = await import('@secretlint/secretlint-rule-preset-recommend');
  const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: preset }] };
  const lintStarted = process.threadCpuUsage();
  for (const item of sample.slice(0, 200)) {
    await lintSource({
      source: { content: item.record.message!.text, filePath: '/m.txt', ext: '.txt', contentType: 'text' },
      options: { config, noPhysicFilePath: true },
    });
  }
  const lintUsed = process.threadCpuUsage(lintStarted);
  const secretlintUs = (lintUsed.user + lintUsed.system) / 200;

  const fullUs = cost.fullUs;
  const rows: Row[] = [
    {
      name: 'records / messages',
      value: `${items.length}`,
      detail: `${messages} messages, ${files.length} files, ${(rawBytes / messages / 1024).toFixed(1)} KB of raw record per message`,
    },
    { name: 'pipeline off (floor)', value: us(offUs), detail: 'per message, CPU time of 1 thread' },
    { name: 'redaction: secrets only', value: us(secretsUs) },
    { name: 'redaction: secrets + PII', value: us(cost.redactionUs) },
    { name: 'ingest enrichers', value: us(cost.enrichmentUs) },
    {
      name: 'redaction + enrichment',
      value: us(fullUs),
      detail: `${(1e6 / fullUs).toFixed(0)} messages/s, 1 core`,
    },
    {
      name: `redaction + enrichment, ${cores} workers`,
      value: `${cost.perSecondAllCores.toFixed(0)}/s`,
      detail: `${parallel.messages} messages in ${parallel.wallMs.toFixed(0)} ms`,
    },
    { name: 'exact tokens (deferred)', value: us(tokensUs), detail: 'gpt-tokenizer o200k, per message' },
    {
      name: 'secretlint preset (comparison)',
      value: us(secretlintUs),
      detail: 'lintSource per message text',
    },
    { name: 'load average (1 min)', value: load.toFixed(1), detail: `on ${cores} cores` },
  ];
  const goals: Goal[] = [
    {
      name: 'redaction + enrichment per message',
      target: '<= 250 µs',
      actual: us(fullUs),
      met: fullUs <= 250,
    },
  ];
  printTable(
    `enrich benchmark: ${(corpus.bytes / 1024 / 1024).toFixed(0)} MB Claude Code corpus`,
    rows,
    goals,
  );
}

// A worker of the two-core figure: parse its files, wait for the start, time the pipeline.
serveTimedShare(
  (data): data is string[] => Array.isArray(data),
  (files) => loadRecords(files),
  (items) => {
    const pipeline = new IngestPipeline();
    for (const item of items) pipeline.prepare(item.record, item.raw);
    return messagesOf(items);
  },
);
