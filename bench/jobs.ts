import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAgentlog } from '../src/agentlog.ts';
import { loadConfig } from '../src/config/config.ts';
import { apiMessageRecord } from '../src/ingest/api-messages.ts';
import { GroupCommitter, type CommitItem } from '../src/ingest/group-commit.ts';
import { createJobRuntime } from '../src/jobs/job-runtime.ts';
import type { JobQueue } from '../src/storage/ports.ts';
import { printTable, type Goal, type Row } from './support/report.ts';

/**
 * `npm run bench -- jobs [--jobs 2000] [--sessions 200] [--messages 50]`: the SQLite job queue
 * (enqueue, then claim + complete one at a time, each a durable commit) and the completion
 * pipeline (sessions of tool-using conversations stopped, then completed by the worker).
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      jobs: { type: 'string', default: '2000' },
      sessions: { type: 'string', default: '200' },
      messages: { type: 'string', default: '50' },
    },
  });
  const home = mkdtempSync(join(tmpdir(), 'agentlog-bench-jobs-'));
  try {
    const queue = await queueFigures(home, Number(values.jobs));
    const pipeline = await pipelineFigures(home, Number(values.sessions), Number(values.messages));
    const rows: Row[] = [...queue.rows, ...pipeline.rows];
    // Every step is a durable commit, so the goals are in commits of this disk, measured in the same run.
    const perJob = 1000 / queue.claimRate / queue.commitMs;
    const perSession = pipeline.perSession / queue.commitMs;
    const goals: Goal[] = [
      {
        name: 'claim + complete',
        target: '≤ 3 commits',
        actual: `${perJob.toFixed(2)} commits`,
        met: perJob <= 3,
      },
      {
        name: 'session completed',
        target: '≤ 6 commits',
        actual: `${perSession.toFixed(2)} commits`,
        met: perSession <= 6,
      },
    ];
    printTable('job queue and completion pipeline (SQLite, synchronous=FULL)', rows, goals);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** The time of one small committed UPDATE (a lease renewal): the unit every queue step pays. */
async function oneCommit(jobs: JobQueue, now: number): Promise<number> {
  const { job } = await jobs.enqueue({ kind: 'baseline', key: 'one', payload: {}, now });
  await jobs.claim({ worker: 'bench', now, leaseMs: 60_000, kinds: ['baseline'] });
  const rounds = 200;
  const started = performance.now();
  for (let i = 0; i < rounds; i++) await jobs.extendLease(job.id, 'bench', now + i, 60_000);
  return (performance.now() - started) / rounds;
}

async function queueFigures(home: string, count: number) {
  const agentlog = await createAgentlog(
    loadConfig({ flags: { dataDir: join(home, 'queue') }, env: {}, home }),
  );
  try {
    const now = Date.now();
    const commitMs = await oneCommit(agentlog.jobs, now);
    let started = performance.now();
    for (let i = 0; i < count; i++)
      await agentlog.jobs.enqueue({ kind: 'bench', key: `k${i}`, payload: { i }, priority: i % 3, now });
    const enqueueMs = performance.now() - started;
    started = performance.now();
    for (let i = 0; i < count; i++)
      await agentlog.jobs.enqueue({ kind: 'bench', key: `k${i}`, payload: { i }, now });
    const againMs = performance.now() - started;
    started = performance.now();
    let claimed = 0;
    for (;;) {
      const job = await agentlog.jobs.claim({ worker: 'bench', now, leaseMs: 60_000, kinds: ['bench'] });
      if (job === null) break;
      await agentlog.jobs.complete(job.id, 'bench', { now, result: { ok: true } });
      claimed++;
    }
    const claimMs = performance.now() - started;
    if (claimed !== count) throw new Error(`claimed ${claimed} of ${count} jobs`);
    const claimRate = count / (claimMs / 1000);
    const rows: Row[] = [
      {
        name: 'one durable commit',
        value: `${commitMs.toFixed(1)} ms`,
        detail: 'baseline: a lease renewal, on this disk now',
      },
      {
        name: 'enqueue',
        value: `${(count / (enqueueMs / 1000)).toFixed(0)}/s`,
        detail: `${count} jobs, one commit each`,
      },
      {
        name: 'enqueue again (no-op)',
        value: `${(count / (againMs / 1000)).toFixed(0)}/s`,
        detail: 'same keys: nothing added',
      },
      {
        name: 'claim + complete',
        value: `${claimRate.toFixed(0)}/s`,
        detail: `${count} jobs, two commits each`,
      },
    ];
    return { rows, claimRate, commitMs };
  } finally {
    await agentlog.close();
  }
}

/** A conversation with a tool call and its result every few messages. */
function conversationItems(session: string, messages: number): CommitItem[] {
  const items: CommitItem[] = [];
  for (let i = 0; i < messages; i++) {
    const id = `${session}-${i}`;
    const call = `call-${session}-${i - 1}`;
    // The last message never calls a tool: every call is answered.
    const step = i === messages - 1 ? 0 : i % 4;
    const content =
      step === 1
        ? [
            { type: 'text' as const, text: 'Running it.' },
            { type: 'tool_use' as const, id: `call-${id}`, name: 'Bash', input: { command: 'ls' } },
          ]
        : step === 2
          ? [{ type: 'tool_result' as const, toolUseId: call, content: 'README.md src test' }]
          : `message ${i} of ${session}: some words about the work at hand`;
    const role = step === 1 ? 'assistant' : step === 2 ? 'tool' : i % 2 === 0 ? 'user' : 'assistant';
    items.push({ record: apiMessageRecord({ id, session, role, content }, Date.now(), i), raw: null });
  }
  return items;
}

async function pipelineFigures(home: string, sessions: number, messages: number) {
  const agentlog = await createAgentlog(
    loadConfig({ flags: { dataDir: join(home, 'pipeline') }, env: {}, home }),
  );
  try {
    const committer = new GroupCommitter(agentlog.store, {
      maxQueuedItems: 1_000_000,
      maxQueuedBytes: 1 << 30,
      maxItemsPerCommit: 5000,
    });
    for (let s = 0; s < sessions; s++) {
      const submitted = committer.submit(
        { projectId: agentlog.project.id, source: 'api' },
        conversationItems(`s${s}`, messages),
      );
      if (submitted.queued) await submitted.committed;
    }
    await committer.close();
    const runtime = createJobRuntime(agentlog);
    let started = performance.now();
    for (const session of await agentlog.store.sessionsInStatus({ status: 'active', limit: sessions }))
      await runtime.lifecycle.stop(session, 'bench', 'client');
    const stopMs = performance.now() - started;
    started = performance.now();
    const summary = await runtime.worker.drain();
    const drainMs = performance.now() - started;
    if (summary.done !== sessions)
      throw new Error(`completed ${summary.done} of ${sessions} sessions: ${JSON.stringify(summary)}`);
    const perSession = drainMs / sessions;
    const rows: Row[] = [
      {
        name: 'stop + queue',
        value: `${(stopMs / sessions).toFixed(1)} ms`,
        detail: 'per session (transition, job)',
      },
      {
        name: 'session completed',
        value: `${perSession.toFixed(1)} ms`,
        detail: `per session of ${messages} messages: 4 commits (claim, 2 transitions, complete), 5 stages`,
      },
      { name: 'messages validated', value: `${((sessions * messages) / (drainMs / 1000)).toFixed(0)}/s` },
    ];
    return { rows, perSession };
  } finally {
    await agentlog.close();
  }
}
