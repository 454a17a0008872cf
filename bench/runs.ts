import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Message } from '../src/domain/message.ts';
import type { Run } from '../src/domain/run.ts';
import { analyzeCrash } from '../src/runs/crash/analyze-crash.ts';
import {
  conversationJson,
  readConversationJson,
  type ConversationHeader,
} from '../src/runs/conversation-file.ts';
import { readTail } from '../src/runs/log-tail.ts';
import { FsBlobStore } from '../src/storage/fs/fs-blob-store.ts';
import { mbps, ms, printTable, type Goal, type Row } from './support/report.ts';

/**
 * `npm run bench -- runs [--messages 20000] [--log-mb 64]`: the crash path of `agentlog run`.
 * A conversation of that many turns is written to the blob store as conversation.json (streamed),
 * read back and ranked against a CUDA out-of-memory error within the prompt's token budget
 * (the built-in analysis: no model), and the tail of a log of that size is read.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { messages: { type: 'string', default: '20000' }, 'log-mb': { type: 'string', default: '64' } },
  });
  const count = Number(values.messages);
  const logBytes = Number(values['log-mb']) * 1024 * 1024;
  const dir = mkdtempSync(join(tmpdir(), 'agentlog-bench-runs-'));
  try {
    const blobs = new FsBlobStore(join(dir, 'blobs'));
    const heapBefore = process.memoryUsage().heapUsed;
    let started = performance.now();
    const stored = await blobs.put(
      'conversations/bench/run_1/conversation.json',
      conversationJson(header(), conversation(count)),
    );
    const writeMs = performance.now() - started;

    started = performance.now();
    const reader = await readConversationJson((await blobs.get(stored.key))!);
    const report = await analyzeCrash({
      run: benchRun(),
      trigger: 'exit',
      host: 'bench',
      exit: { exitCode: 1, signal: null },
      logTail: await readFile(
        join(import.meta.dirname, '..', 'test', 'fixtures', 'runs', 'logs', 'cuda-oom.txt'),
        'utf8',
      ),
      conversation: { messages: reader!.messages, key: stored.key, problem: null },
      config: { path: 'config.json', content: '{"batch_size": 512}' },
      model: { provider: null, problem: null, maxOutputTokens: 1500 },
      promptTokens: 12_000,
    });
    const analyzeMs = performance.now() - started;
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

    const logPath = join(dir, 'train.log');
    writeFileSync(logPath, Buffer.alloc(logBytes, 'step 1000 loss 1.2345 lr 3e-4 tokens/s 51234\n'));
    started = performance.now();
    const tail = await readTail(createReadStream(logPath));
    const tailMs = performance.now() - started;

    const rows: Row[] = [
      {
        name: 'conversation.json written',
        value: ms(writeMs),
        detail: `${count} messages, ${(stored.size / 1024 / 1024).toFixed(1)} MB, ${mbps(stored.size, writeMs)}`,
      },
      {
        name: 'read back, ranked, analysed',
        value: ms(analyzeMs),
        detail: `${report.excerpts.length} excerpts, ${report.excerpts.reduce((s, e) => s + e.tokens, 0)} tokens`,
      },
      {
        name: 'heap growth',
        value: `${(heapGrowth / 1024 / 1024).toFixed(1)} MB`,
        detail: 'while writing and analysing',
      },
      {
        name: 'log tail of a whole log',
        value: ms(tailMs),
        detail: `${values['log-mb']} MB read, ${(tail.length / 1024).toFixed(0)} KB kept, ${mbps(logBytes, tailMs)}`,
      },
    ];
    const goals: Goal[] = [
      {
        name: 'analysis, 20k turns',
        target: '≤ 3000 ms',
        actual: ms(analyzeMs * (20_000 / count)),
        met: analyzeMs * (20_000 / count) <= 3000,
      },
      {
        name: 'heap growth',
        target: '≤ 64 MB',
        actual: `${(heapGrowth / 1024 / 1024).toFixed(0)} MB`,
        met: heapGrowth <= 64 * 1024 * 1024,
      },
    ];
    printTable('runs: conversation copy, crash analysis (built-in), log tail', rows, goals);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const topics = [
  'the data loader',
  'the learning rate schedule',
  'evaluation',
  'the tokenizer',
  'checkpoints',
  'logging',
];

async function* conversation(count: number): AsyncIterable<Message> {
  for (let i = 0; i < count; i++) {
    const role = i % 2 === 0 ? 'user' : 'assistant';
    const topic = topics[i % topics.length]!;
    // One turn in a thousand is where the batch size was decided.
    const text =
      i % 1000 === 500
        ? `Set batch_size to 512 in config.json so the epoch finishes tonight; train.py reads it.`
        : `Turn ${i} about ${topic}: ${'we looked at the numbers and agreed on the next step. '.repeat(12)}`;
    yield {
      id: i + 1,
      sessionId: 'ses_bench',
      source: 'claude-code',
      externalId: `m${i}`,
      parentExternalId: null,
      role,
      kind: 'message',
      speaker: null,
      blocks: [{ type: 'text', text }],
      text,
      model: null,
      usage: null,
      responseId: null,
      timestamp: 1_700_000_000_000 + i * 1000,
      seq: i,
      contentHash: `h${i}`,
      meta: {},
    };
  }
}

function header(): ConversationHeader {
  const run = benchRun();
  return {
    format: 'agentlog-conversation/1',
    runId: run.id,
    chainId: run.chainId,
    capturedAt: new Date(0).toISOString(),
    transcript: null,
    session: {
      id: 'ses_bench',
      projectId: 1,
      source: 'claude-code',
      externalId: 'bench',
      parentSessionId: null,
      parentToolCallId: null,
      agentId: null,
      forkedFromSessionId: null,
      title: null,
      cwd: '/work',
      gitBranch: null,
      models: [],
      agentVersion: null,
      startedAt: null,
      endedAt: null,
      status: 'imported',
      messageCount: 0,
      meta: {},
    },
    ancestors: [],
  };
}

function benchRun(): Run {
  return {
    id: 'run_bench',
    chainId: 'BENCH2',
    projectId: 1,
    launchType: 'bench',
    command: ['python3', 'train.py'],
    cwd: '/work',
    host: 'bench',
    configPath: 'config.json',
    git: null,
    meta: {},
    sessionId: 'ses_bench',
    conversationKey: null,
    logKey: null,
    warnings: [],
    status: 'failed',
    exitCode: 1,
    signal: null,
    startedAt: 0,
    endedAt: 1,
  };
}
