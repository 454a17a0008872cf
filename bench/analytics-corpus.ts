import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Block } from '../src/domain/blocks.ts';
import type { Role } from '../src/domain/message.ts';
import { defaultPipelineSettings, IngestPipeline } from '../src/enrich/ingest-pipeline.ts';
import { compressRaw, rawHash } from '../src/ingest/raw-codec.ts';
import { contentHash } from '../src/sources/shared/content-hash.ts';
import type { ParsedRecord } from '../src/sources/source-format.ts';
import type { WriteBatch } from '../src/storage/ports.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import { Random } from './corpus/random.ts';
import { commandOutput, filePath, prose, shellCommand } from './corpus/text.ts';

/** Bump when the generated content changes, so cached stores are made again. */
const generatorVersion = 1;
const corpusRoot = join(fileURLToPath(new URL('.', import.meta.url)), '.corpus');
const day = 86_400_000;
const end = Date.UTC(2025, 9, 31);
const batchMessages = 5000;

const sources = [
  {
    name: 'claude-code',
    weight: 45,
    models: ['claude-sonnet-4-5', 'claude-sonnet-4-5', 'claude-opus-4-1', 'claude-haiku-4-5'],
  },
  { name: 'codex', weight: 20, models: ['gpt-5-codex', 'gpt-5'] },
  { name: 'gemini', weight: 10, models: ['gemini-2.5-pro', 'gemini-2.5-flash'] },
  { name: 'api', weight: 15, models: ['claude-sonnet-4-5', 'gpt-4.1', 'llama-3.3-70b'] },
  { name: 'chatgpt', weight: 10, models: ['gpt-4o'] },
] as const;
const people = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'oscar',
];
const tools = ['Bash', 'Read', 'Edit', 'Write', 'Grep', 'Glob', 'WebFetch', 'TodoWrite'];

export type AnalyticsCorpus = { dir: string; dbPath: string; messages: number };

/**
 * A store of `size` messages for the analytics benchmark, written straight through the Store's
 * `write` in large batches (a fixture, not an import): sessions of ~40 messages over a year from
 * five sources, people and models, tool calls with some failures, token usage per response, one
 * raw record per message, and enrichment by the real ingest enrichers. Cached under bench/.corpus/.
 */
export async function analyticsCorpus(size: number, log: (line: string) => void): Promise<AnalyticsCorpus> {
  const dir = join(corpusRoot, `analytics-${size}-v${generatorVersion}`);
  const dbPath = join(dir, 'agentlog.db');
  if (existsSync(dbPath)) return { dir, dbPath, messages: size };
  const building = `${dir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const store = new SqliteStore(join(building, 'agentlog.db'));
  const project = await store.ensureProject('default');
  // Enrichment as at ingest; redaction is left out (the text is generated, nothing to find).
  const pipeline = new IngestPipeline({
    ...defaultPipelineSettings,
    redaction: { ...defaultPipelineSettings.redaction, policy: 'off' },
  });
  const r = new Random(20251031);
  const started = performance.now();
  let batch = emptyBatch(project.id);
  let written = 0;
  let session = 0;
  while (written < size) {
    const count = Math.min(size - written, r.skewed(40, 0.8, 400));
    for (const record of sessionRecords(r, session++, count)) {
      const prepared = pipeline.prepare(record, null);
      const parsed = prepared.record;
      const message = parsed.message!;
      const raw = new TextEncoder().encode(JSON.stringify(message));
      const hash = rawHash(raw);
      batch.sessions.push(...parsed.sessions);
      batch.raw.push({
        source: message.source,
        hash,
        recordType: 'message',
        sessionExternalId: message.sessionExternalId,
        line: message.seq + 1,
        byteOffset: 0,
        data: compressRaw(raw),
      });
      batch.messages.push({
        ...message,
        rawHash: hash,
        ...(prepared.enrichment === undefined ? {} : { enrichment: prepared.enrichment }),
      });
      if (parsed.usage !== null)
        batch.usage.push({
          source: message.source,
          sessionExternalId: message.sessionExternalId,
          ...parsed.usage,
        });
    }
    written += count;
    if (batch.messages.length >= batchMessages || written >= size) {
      await store.write(batch);
      batch = emptyBatch(project.id);
      const seconds = (performance.now() - started) / 1000;
      log(
        `  corpus: ${written.toLocaleString('en-US')} of ${size.toLocaleString('en-US')} messages (${(written / seconds).toFixed(0)}/s)`,
      );
    }
  }
  await store.close();
  renameSync(building, dir);
  return { dir, dbPath, messages: size };
}

function emptyBatch(projectId: number): WriteBatch {
  return { projectId, sessions: [], raw: [], messages: [], usage: [], blobs: [], fileStates: [] };
}

function pickSource(r: Random): (typeof sources)[number] {
  let n = r.int(1, 100);
  for (const s of sources) {
    n -= s.weight;
    if (n <= 0) return s;
  }
  return sources[0];
}

/** A rare word: identifiers and error codes that make selective searches (a few hits each). */
function rareWord(r: Random): string {
  return `${r.pick(['ERR', 'issue', 'ticket', 'build', 'trace'])}${r.skewed(500, 2.5, 2_000_000)}`;
}

function* sessionRecords(r: Random, n: number, count: number): Iterable<ParsedRecord> {
  const source = pickSource(r);
  const externalId = `bench-${n}`;
  const model = r.pick(source.models);
  const cwd = `/home/dev/project-${r.int(1, 30)}`;
  let time = end - r.int(0, 364) * day - r.int(0, day - 1);
  let pending: { id: string; name: string } | null = null;
  for (let i = 0; i < count; i++) {
    time += r.skewed(30_000, 1.2, 3_600_000);
    const role: Role = i % 2 === 0 ? 'user' : 'assistant';
    const blocks: Block[] = [];
    if (role === 'user' && pending !== null) {
      const failed = r.chance(0.1);
      const output = failed ? `error: ${prose(r, 1)}` : commandOutput(r, r.int(1, 12), cwd);
      blocks.push({ type: 'tool_result', toolUseId: pending.id, content: output, isError: failed });
      pending = null;
    } else {
      let text = prose(r, role === 'user' ? r.int(1, 3) : r.int(2, 8));
      if (r.chance(0.3)) text += ` See ${rareWord(r)} in ${filePath(r, cwd)}.`;
      blocks.push({ type: 'text', text });
    }
    if (role === 'assistant' && r.chance(0.35)) {
      const name = r.pick(tools);
      pending = { id: `toolu_${n}_${i}`, name };
      blocks.push({ type: 'tool_use', id: pending.id, name, input: { command: shellCommand(r) } });
    }
    const text = blocks.map((b) => (b.type === 'text' ? b.text : '')).join('\n');
    const speaker =
      source.name === 'api' && role === 'user' ? { name: r.pick(people), role: 'member' } : null;
    yield {
      recordType: 'message',
      sessionExternalId: externalId,
      sessions: [
        { source: source.name, externalId, cwd, timestamp: time, ...(role === 'assistant' ? { model } : {}) },
      ],
      message: {
        source: source.name,
        sessionExternalId: externalId,
        externalId: `${externalId}-${i}`,
        parentExternalId: i === 0 ? null : `${externalId}-${i - 1}`,
        role,
        kind: blocks[0]!.type === 'tool_result' ? 'tool_result' : 'message',
        speaker,
        blocks,
        text,
        model: role === 'assistant' ? model : null,
        usage: null,
        responseId: null,
        timestamp: time,
        seq: i,
        contentHash: contentHash(role, blocks),
        meta: {},
      },
      usage:
        role === 'assistant'
          ? {
              dedupKey: `${externalId}-${i}`,
              model,
              timestamp: time,
              inputTokens: r.skewed(3000, 1, 200_000),
              outputTokens: r.skewed(400, 1, 20_000),
              cacheCreationTokens: source.name === 'claude-code' ? r.skewed(2000, 1, 100_000) : 0,
              cacheReadTokens: source.name === 'claude-code' ? r.skewed(30_000, 0.8, 500_000) : 0,
            }
          : null,
      images: [],
      problem: null,
    };
  }
}
