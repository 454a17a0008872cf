import type { Command } from 'commander';
import type { z } from 'zod';
import { AgentlogError } from '../../domain/errors.ts';
import { isJobState, jobStates, type Job } from '../../domain/job.ts';
import type { StageResult } from '../../jobs/completion-pipeline.ts';
import type { jobShowOutput } from '../../jobs/job-json.ts';
import type { WorkerLog } from '../../jobs/job-worker.ts';
import { withAgentlog, type GlobalOptions } from '../context.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';
import { parsePositive } from './sessions.ts';
import { stopSignal } from '../stop-signal.ts';

export function registerJobs(program: Command, io: CliIo): void {
  const jobs = program
    .command('jobs')
    .description('The persistent job queue: session completion and other background work.');

  jobs
    .command('list')
    .description('List jobs, newest first, with the count in each state.')
    .option('--state <state>', `only jobs in this state: ${jobStates.join(', ')}`, parseState)
    .option('--kind <kind>', 'only jobs of this kind (session.complete)')
    .option('--limit <n>', 'at most this many', (v) => parsePositive(v, '--limit'), 50)
    .option('--json', 'print JSON on stdout')
    .action(
      async (
        options: { state?: Job['state']; kind?: string; limit: number; json?: boolean },
        command: Command,
      ) => {
        const { listJobs } = await import('../../jobs/job-admin.ts');
        const listed = await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), (agentlog) =>
          listJobs(agentlog, {
            limit: options.limit,
            ...(options.state === undefined ? {} : { state: options.state }),
            ...(options.kind === undefined ? {} : { kind: options.kind }),
          }),
        );
        if (options.json) return writeJson(io, listed);
        writeLine(io.stderr, jobStates.map((s) => `${s} ${listed.counts[s]}`).join(', '));
        for (const job of listed.jobs) writeLine(io.stdout, jobLine(job));
      },
    );

  jobs
    .command('show')
    .description('Show one job: its state, attempts, last error, stage results and its session.')
    .argument('<id>', 'the job id (as `jobs list` shows it)', parseId)
    .option('--json', 'print JSON on stdout')
    .action(async (id: number, options: { json?: boolean }, command: Command) => {
      const { showJob } = await import('../../jobs/job-admin.ts');
      const shown = await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), (agentlog) =>
        showJob(agentlog, id),
      );
      if (options.json) return writeJson(io, shown);
      for (const line of showLines(shown, await stagesOf(shown.job.result))) writeLine(io.stdout, line);
    });

  jobs
    .command('retry')
    .description('Queue a dead job again with fresh attempts (or run a job waiting out its backoff now).')
    .argument('<id>', 'the job id (as `jobs list` shows it)', parseId)
    .option('--json', 'print JSON on stdout')
    .addHelpText(
      'after',
      '\nA running server picks the job up at its next poll; or run `npx agentlog jobs work --once`.\n',
    )
    .action(async (id: number, options: { json?: boolean }, command: Command) => {
      const { retryJob } = await import('../../jobs/job-admin.ts');
      const job = await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), (agentlog) =>
        retryJob(agentlog, id),
      );
      if (options.json) return writeJson(io, { job });
      writeLine(io.stdout, `Queued job ${job.id} (${job.kind} ${job.key}) again.`);
    });

  jobs
    .command('work')
    .description('Run jobs here: until SIGTERM or Ctrl-C, or with --once until none is ready.')
    .option('--once', 'run the ready jobs, then exit (for cron and scripts)')
    .option('--json', 'with --once: print the summary as JSON on stdout')
    .addHelpText(
      'after',
      '\n`agentlog serve` runs a worker itself unless jobs.workInServer is false in config.json.\n' +
        'SIGTERM or Ctrl-C: the job in flight finishes its stage and is given back.\n',
    )
    .action(async (options: { once?: boolean; json?: boolean }, command: Command) => {
      const log = stderrLog(io);
      const [{ workOnce }, { createLifecycle, createWorker }] = await Promise.all([
        import('../../jobs/job-admin.ts'),
        import('../../jobs/job-runtime.ts'),
      ]);
      await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), async (agentlog) => {
        if (options.once) {
          const summary = await workOnce(agentlog, log);
          if (options.json) return writeJson(io, summary);
          return writeLine(
            io.stderr,
            `Ran ${summary.processed} job(s): ${summary.done} done, ${summary.retrying} to retry, ${summary.dead} dead` +
              (summary.recovered > 0 ? ` (queued ${summary.recovered} for stopped sessions)` : ''),
          );
        }
        await createLifecycle(agentlog).recover();
        const worker = createWorker(agentlog);
        worker.start(log);
        writeLine(io.stderr, `agentlog: working on jobs in ${agentlog.config.dataDir} (Ctrl-C to stop)`);
        await stopSignal().signalled;
        writeLine(io.stderr, 'agentlog: stopping; the job in flight finishes its stage');
        await worker.stop();
      });
    });
}

function jobLine(job: Job): string {
  const when = new Date(job.updatedAt).toISOString().slice(0, 16).replace('T', ' ');
  const error = job.lastError === null ? '' : `  ${job.lastError.replace(/\s+/g, ' ').slice(0, 80)}`;
  return `${String(job.id).padStart(6)}  ${job.state.padEnd(7)}  ${job.kind.padEnd(16)}  ${job.key.padEnd(20)}  ${job.attempts}/${job.maxAttempts}  ${when}${error}`;
}

function showLines({ job, session }: z.infer<typeof jobShowOutput>, stages: StageResult[]): string[] {
  const iso = (t: number) => new Date(t).toISOString();
  const lines = [
    `job ${job.id}  ${job.kind}  ${job.key}`,
    `state ${job.state}, attempt ${job.attempts} of ${job.maxAttempts}, priority ${job.priority}`,
    `${job.state === 'running' ? 'lease ends' : 'ready from'} ${iso(job.runAt)}; created ${iso(job.createdAt)}`,
  ];
  if (job.lastError !== null) lines.push(`last error: ${job.lastError}`);
  for (const s of stages)
    lines.push(
      `  ${s.stage.padEnd(18)} ${s.status.padEnd(12)} ${s.durationMs.toFixed(1).padStart(8)} ms  ${s.summary ?? s.error ?? ''}`,
    );
  if (session !== null) {
    lines.push(`session ${session.id}: ${session.status}`);
    for (const t of session.transitions) lines.push(`  ${iso(t.at)}  ${t.from} → ${t.to}  ${t.reason}`);
  }
  return lines;
}

/** The stage results of a completion job's result; none for anything else. */
async function stagesOf(result: unknown): Promise<StageResult[]> {
  const [{ z: zod }, { stageResultSchema }] = await Promise.all([
    import('zod'),
    import('../../jobs/completion-pipeline.ts'),
  ]);
  const parsed = zod.object({ stages: zod.array(stageResultSchema) }).safeParse(result);
  return parsed.success ? parsed.data.stages : [];
}

function stderrLog(io: CliIo): WorkerLog {
  const write = (fields: object, message: string) => {
    const error = 'error' in fields && typeof fields.error === 'string' ? `: ${fields.error}` : '';
    writeLine(io.stderr, `agentlog: ${message}${error}`);
  };
  return { info: write, warn: write, error: write };
}

function parseState(value: string): Job['state'] {
  if (!isJobState(value))
    throw new AgentlogError('INVALID_ARGUMENT', `--state takes ${jobStates.join(', ')}, not "${value}".`);
  return value;
}

function parseId(value: string): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0)
    throw new AgentlogError('INVALID_ARGUMENT', `A job id is a positive whole number, not "${value}".`, {
      hint: 'See `npx agentlog jobs list`.',
    });
  return id;
}
