import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunsListOutput } from '../../src/runs/runs-contract.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import {
  addProjectFile,
  agentlog,
  chainIdOf,
  gitInit,
  lastReport,
  makeMachine,
  showRun,
  trainingTurns,
  writeClaudeSession,
} from './run-fixture.ts';

const sessionId = '7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

describe('agentlog run', () => {
  const tempDir = useTempDirs();

  function trainingMachine() {
    const machine = makeMachine(tempDir());
    addProjectFile(machine, 'train.py');
    addProjectFile(machine, 'config.json');
    const commit = gitInit(machine.project);
    // An edit after the commit: the run records a dirty tree.
    writeFileSync(join(machine.project, 'config.json'), '{"batch_size": 512, "lr": 0.001}\n');
    writeClaudeSession(machine, sessionId, machine.project, trainingTurns);
    return { machine, commit };
  }

  it('links conversation, run and a real Python crash with one chain id, and exits with the crash code', async () => {
    const { machine, commit } = trainingMachine();
    const result = await agentlog(machine, [
      'run',
      '--cwd',
      machine.project,
      '--config',
      'config.json',
      '--meta',
      'gpus=8',
      '--meta',
      'dataset=tickets-v3',
      '--',
      'python3',
      'train.py',
    ]);
    expect(result.code).toBe(1);
    const chain = chainIdOf(result.stderr);
    // The command saw its ids, and its output passed through.
    expect(result.stdout).toMatch(new RegExp(`^run run_[0-9a-z]{12} chain ${chain}\\nbatch_size 512\\n`));
    expect(result.stderr).toContain("ModuleNotFoundError: No module named 'wandb_tracker'");
    expect(result.stderr).toMatch(
      /conversation claude-code 7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d \(7 messages\) → .*conversation\.json/,
    );
    expect(result.stderr).toContain(`npx agentlog runs show ${chain}`);
    expect(result.stderr).toContain('error: ModuleNotFoundError');

    const { run, crashReports } = await showRun(machine, chain);
    expect(run).toMatchObject({
      chainId: chain,
      status: 'failed',
      exitCode: 1,
      signal: null,
      launchType: 'local',
      command: ['python3', 'train.py'],
      cwd: machine.project,
      configPath: 'config.json',
      git: { commit, branch: 'main', dirty: true },
      meta: { gpus: '8', dataset: 'tickets-v3' },
      warnings: [],
    });
    expect(run.conversationLocation).toBe(
      join(machine.data, 'blobs', 'conversations', 'local', run.id, 'conversation.json'),
    );

    // conversation.json is plain JSON holding the whole conversation.
    const conversation = JSON.parse(readFileSync(run.conversationLocation!, 'utf8')) as {
      chainId: string;
      session: { externalId: string; cwd: string };
      messages: { text: string }[];
    };
    expect(conversation.chainId).toBe(chain);
    expect(conversation.session).toMatchObject({ externalId: sessionId, cwd: machine.project });
    expect(conversation.messages.map((m) => m.text)).toEqual(trainingTurns.map((t) => t.text));

    const metadata = JSON.parse(
      readFileSync(join(run.conversationLocation!, '..', 'metadata.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      runId: run.id,
      chainId: chain,
      cwd: machine.project,
      command: ['python3', 'train.py'],
      git: { commit, branch: 'main', dirty: true },
      config: {
        path: join(machine.project, 'config.json'),
        content: '{"batch_size": 512, "lr": 0.001}\n',
        problem: null,
      },
      meta: { gpus: '8', dataset: 'tickets-v3' },
      conversation: { externalId: sessionId, source: 'claude-code' },
    });
    expect(readFileSync(run.logLocation!, 'utf8')).toContain("No module named 'wandb_tracker'");

    // The built-in analysis: the error, its likely cause, and the turns where it was decided.
    const report = lastReport({ run, crashReports });
    expect(crashReports).toHaveLength(1);
    expect(report).toMatchObject({
      runId: run.id,
      chainId: chain,
      trigger: 'exit',
      analysis: null,
      providerError: null,
    });
    expect(report.error).toMatchObject({
      kind: 'python-exception',
      type: 'ModuleNotFoundError',
      location: `${join(machine.project, 'train.py')}:13`,
    });
    expect(report.likelyCauses.map((c) => c.rule)).toEqual(['module-not-found']);
    const excerpts = report.excerpts.map((e) => e.text);
    expect(excerpts).toContain('Also log the metrics to wandb_tracker, like the last project.');
    expect(excerpts).toContain('Done: train.py now imports wandb_tracker and logs every step.');
    expect(excerpts).not.toContain('Canberra.');
  });

  it('records a run that succeeds, without a crash report, and lists it', async () => {
    const { machine } = trainingMachine();
    const result = await agentlog(machine, [
      'run',
      '--cwd',
      machine.project,
      '--launch-type',
      'slurm',
      '--',
      'python3',
      '-c',
      'print("submitted")',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('submitted\n');
    const chain = chainIdOf(result.stderr);
    const { run, crashReports } = await showRun(machine, chain.toLowerCase());
    expect(run).toMatchObject({ status: 'succeeded', exitCode: 0, launchType: 'slurm' });
    expect(run.conversationLocation).toContain(join('conversations', 'slurm', run.id, 'conversation.json'));
    expect(crashReports).toEqual([]);

    const listed = JSON.parse((await agentlog(machine, ['runs', 'list', '--json'])).stdout) as RunsListOutput;
    expect(listed.runs.map((r) => r.chainId)).toEqual([chain]);
    const text = (await agentlog(machine, ['runs', 'list'])).stdout;
    expect(text).toMatch(
      new RegExp(`^${chain}  ${run.id}  .*succeeded.*slurm.*python3 -c print\\("submitted"\\)`),
    );
    const shown = (await agentlog(machine, ['runs', 'show', run.id])).stdout;
    expect(shown).toContain(`Chain id:      ${chain}`);
    expect(shown).toMatch(/Git: +[0-9a-f]{12} on main, uncommitted changes/);
  });

  it('records a command killed by a signal: exit 128 + the signal number, the signal in the report', async () => {
    const { machine } = trainingMachine();
    const result = await agentlog(machine, [
      'run',
      '--cwd',
      machine.project,
      '--',
      'python3',
      '-c',
      'import os, signal; print("loading shards", flush=True); os.kill(os.getpid(), signal.SIGKILL)',
    ]);
    expect(result.code).toBe(137);
    expect(result.stderr).toMatch(/was killed by SIGKILL; analysing the crash/);
    const shown = await showRun(machine, chainIdOf(result.stderr));
    expect(shown.run).toMatchObject({ status: 'signaled', signal: 'SIGKILL', exitCode: 137 });
    const report = lastReport(shown);
    expect(report.error).toMatchObject({ kind: 'signal', type: 'SIGKILL', signal: 'SIGKILL' });
    expect(report.likelyCauses.map((c) => c.rule)).toEqual(['host-oom-kill']);
    expect(report.logTail).toBe('loading shards');
  });

  it('links the session named with --session instead of the latest one', async () => {
    const { machine } = trainingMachine();
    const other = 'aaaabbbb-1111-4222-8333-444455556666';
    writeClaudeSession(machine, other, join(machine.project, 'elsewhere'), [
      { role: 'user', text: 'An older plan.' },
    ]);
    const result = await agentlog(machine, [
      'run',
      '--cwd',
      machine.project,
      '--session',
      'aaaabbbb',
      '--',
      'true',
    ]);
    expect(result.code).toBe(0);
    const { run } = await showRun(machine, chainIdOf(result.stderr));
    const conversation = JSON.parse(readFileSync(run.conversationLocation!, 'utf8')) as {
      session: { externalId: string };
    };
    expect(conversation.session.externalId).toBe(other);
  });
});
