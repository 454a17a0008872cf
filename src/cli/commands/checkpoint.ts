import type { Command } from 'commander';
import type { Checkpoint } from '../../domain/checkpoint.ts';
import { AgentlogError } from '../../domain/errors.ts';
import { withAgentlog, type GlobalOptions } from '../context.ts';
import { createProgressBar, formatBytes } from '../progress.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';
import { parsePositive } from './sessions.ts';

export function registerCheckpoint(program: Command, io: CliIo): void {
  const checkpoint = program
    .command('checkpoint')
    .description(
      'Archive new messages as an immutable checkpoint (JSON Lines + Parquet); list, verify, prune.',
    );

  checkpoint
    .command('create', { isDefault: true })
    .description('Write every message stored since the previous checkpoint to the blob store (the default).')
    .option('--label <label>', 'a name to remember this checkpoint by')
    .option('--json', 'print {status, checkpoint, manifest} on stdout')
    .action(async (options: { label?: string; json?: boolean }, command: Command) => {
      const { createCheckpoint } = await import('../../archive/create-checkpoint.ts');
      await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), async (agentlog) => {
        writeLine(io.stderr, 'agentlog: writing the checkpoint…');
        const bar = createProgressBar(io, 'checkpoint');
        const outcome = await createCheckpoint(
          { store: agentlog.store, blobs: agentlog.blobs, project: agentlog.project },
          {
            now: Date.now(),
            onProgress: (p) => bar.update(p.rows, p.total, `${p.rows} ${p.table.replace('_', ' ')}`),
            ...(options.label === undefined ? {} : { label: options.label }),
          },
        );
        bar.done();
        if (options.json) return writeJson(io, outcome);
        if (outcome.status === 'nothing_new')
          return writeLine(io.stdout, `Nothing new since checkpoint ${outcome.plan.seq - 1}.`);
        writeLine(io.stdout, checkpointLine(outcome.checkpoint));
        writeLine(io.stdout, `  ${agentlog.blobs.locate(outcome.checkpoint.manifestKey)}`);
      });
    });

  checkpoint
    .command('list')
    .description('List the checkpoints of the project, oldest first.')
    .option('--json', 'print {checkpoints} on stdout')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), async ({ store, project }) => {
        const checkpoints = await store.listCheckpoints(project.id);
        if (options.json) return writeJson(io, { checkpoints });
        if (checkpoints.length === 0)
          return writeLine(io.stderr, 'No checkpoint yet: run `npx agentlog checkpoint`.');
        for (const c of checkpoints) writeLine(io.stdout, checkpointLine(c));
      });
    });

  checkpoint
    .command('verify')
    .description("Read every checkpoint back and check each file's sha256.")
    .option('--json', 'print {verifications} on stdout')
    .action(async (options: { json?: boolean }, command: Command) => {
      const { verifyCheckpoint } = await import('../../archive/verify-checkpoint.ts');
      await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), async (agentlog) => {
        const verifications = [];
        for (const c of await agentlog.store.listCheckpoints(agentlog.project.id)) {
          const check = await verifyCheckpoint(agentlog, c, Date.now());
          verifications.push(check);
          if (!options.json)
            writeLine(
              io.stdout,
              `checkpoint ${c.seq}: ${check.ok ? 'ok' : `FAILED: ${check.problems.join('; ')}`}`,
            );
        }
        if (options.json) writeJson(io, { verifications });
        const failed = verifications.filter((v) => !v.ok).length;
        if (failed > 0) {
          throw new AgentlogError(
            'CONFLICT',
            `${failed} checkpoint${failed === 1 ? '' : 's'} did not verify.`,
            {
              hint: 'Retention deletes nothing those (or later) checkpoints hold. Restore the files, or write a new checkpoint.',
            },
          );
        }
      });
    });

  checkpoint
    .command('prune')
    .description(
      'Retention: delete from the hot store messages older than N days held by verified checkpoints.',
    )
    .option(
      '--keep-days <n>',
      'days of messages to keep hot (default: archive.hotDays in config.json)',
      (v) => parsePositive(v, '--keep-days'),
    )
    .option('--json', 'print the outcome on stdout')
    .addHelpText(
      'after',
      `
Every checkpoint is read back and verified first; nothing is deleted unless a checkpoint whose
sha256 verifies holds it. Deleted: messages (with their full-text rows, revisions and enrichment)
and raw records of sessions that have no message left. Kept: sessions, token usage, images.
Archived messages stay queryable: npx agentlog query "SELECT ..."`,
    )
    .action(async (options: { keepDays?: number; json?: boolean }, command: Command) => {
      const { applyRetention } = await import('../../archive/retention.ts');
      await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), async (agentlog) => {
        const hotDays = options.keepDays ?? agentlog.config.archive.hotDays;
        if (hotDays === undefined) {
          throw new AgentlogError('INVALID_ARGUMENT', 'How many days should stay hot?', {
            hint: 'Give --keep-days N, or set archive.hotDays in config.json.',
          });
        }
        const outcome = await applyRetention(
          { store: agentlog.store, blobs: agentlog.blobs, projectId: agentlog.project.id },
          { hotDays, now: Date.now() },
        );
        if (options.json) return writeJson(io, outcome);
        writeLine(
          io.stdout,
          `Deleted ${outcome.messages} messages and ${outcome.rawRecords} raw records older than ${new Date(outcome.cutoff).toISOString()} (${outcome.verified} checkpoints verified).`,
        );
        if (outcome.failed !== null)
          writeLine(
            io.stderr,
            `agentlog: checkpoint ${outcome.failed.seq} did not verify: ${outcome.failed.problems.join('; ')}`,
          );
      });
    });
}

function checkpointLine(c: Checkpoint): string {
  const time = (ms: number | null) =>
    ms === null ? '—' : new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  const label = c.label === null ? '' : ` "${c.label}"`;
  return (
    `checkpoint ${c.seq}${label}: ${c.messages} messages, ${c.rawRecords} raw records, ${formatBytes(c.bytes)}, ` +
    `${time(c.firstTimestamp)} to ${time(c.lastTimestamp)}, sha256 ${c.sha256.slice(0, 12)}…` +
    (c.verifiedAt === null ? '' : ', verified')
  );
}
