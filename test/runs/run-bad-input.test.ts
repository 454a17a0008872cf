import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../support/temp-dir.ts';
import {
  addProjectFile,
  agentlog,
  chainIdOf,
  makeMachine,
  showRun,
  trainingTurns,
  writeClaudeSession,
} from './run-fixture.ts';

const exit3 = ['python3', '-c', 'import sys; print("working", flush=True); sys.exit(3)'];

describe('agentlog run when capture fails or input is bad', () => {
  const tempDir = useTempDirs();

  it('no transcript for this directory: a warning with the cause, then the run, and its exit code', async () => {
    const machine = makeMachine(tempDir());
    const result = await agentlog(machine, ['run', '--cwd', machine.project, '--', ...exit3]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('working\n');
    expect(result.stderr).toContain(
      `agentlog: warning: conversation not captured: no Claude Code, Codex or Gemini CLI session was found whose working directory is ${machine.project}; the run goes on.`,
    );
    const shown = await showRun(machine, chainIdOf(result.stderr));
    expect(shown.run).toMatchObject({
      status: 'failed',
      exitCode: 3,
      sessionId: null,
      conversationKey: null,
    });
    expect(shown.run.warnings).toHaveLength(1);
    // The crash is still analysed, without a conversation.
    expect(shown.crashReports[0]).toMatchObject({
      error: { kind: 'exit-code', type: 'exit 3' },
      excerpts: [],
      conversation: { problem: 'no conversation was captured for this run' },
    });
  });

  it('an unwritable blob store: warnings, the run still runs and is recorded, its exit code comes back', async () => {
    const machine = makeMachine(tempDir());
    writeClaudeSession(machine, '11112222-3333-4444-8555-666677778888', machine.project, trainingTurns);
    mkdirSync(machine.data, { recursive: true });
    writeFileSync(join(machine.data, 'blobs'), 'a file where the blob directory should be');
    const result = await agentlog(machine, ['run', '--cwd', machine.project, '--', ...exit3]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('working\n');
    expect(result.stderr).toMatch(
      /warning: conversation not captured: Cannot write conversations\/local\/run_\w+\/conversation\.json to the blob store .*a file is in the way/,
    );
    expect(result.stderr).toMatch(/warning: metadata\.json not stored: Cannot write/);
    expect(result.stderr).toMatch(
      /warning: the output was not stored: Cannot write runs\/run_\w+\/output\.log/,
    );
    const shown = await showRun(machine, chainIdOf(result.stderr));
    expect(shown.run).toMatchObject({ status: 'failed', exitCode: 3, conversationKey: null, logKey: null });
    // The session itself was imported (the store is fine): the report still knows the conversation.
    expect(shown.crashReports[0]!.conversation.problem).toBeNull();
  });

  it('a store that cannot be opened: the command runs anyway, unrecorded, with the ids in its environment', async () => {
    const machine = makeMachine(tempDir());
    writeFileSync(machine.data, 'not a directory');
    const result = await agentlog(machine, [
      'run',
      '--cwd',
      machine.project,
      '--',
      'python3',
      '-c',
      'import os, sys; print(os.environ["AGENTLOG_CHAIN_ID"]); sys.exit(5)',
    ]);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/warning: the run is not recorded: .*; the command runs anyway\./);
    expect(result.stdout).toMatch(/^[2-9A-Z]{6}\n$/);
  });

  it('a config path that does not exist: a warning, the run goes on', async () => {
    const machine = makeMachine(tempDir());
    const result = await agentlog(machine, [
      'run',
      '--cwd',
      machine.project,
      '--config',
      'missing.yaml',
      '--',
      'true',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `warning: config file ${join(machine.project, 'missing.yaml')} does not exist; the run goes on.`,
    );
    const shown = await showRun(machine, chainIdOf(result.stderr));
    expect(shown.run.configPath).toBe('missing.yaml');
    expect(shown.run.warnings.some((w) => w.includes('missing.yaml does not exist'))).toBe(true);
  });

  it('a command that does not exist: a clear error and exit 127, as a shell would', async () => {
    const machine = makeMachine(tempDir());
    const result = await agentlog(machine, [
      'run',
      '--cwd',
      machine.project,
      '--',
      'no-such-command-x9',
      '--flag',
    ]);
    expect(result.code).toBe(127);
    expect(result.stderr).toContain('agentlog: command not found: no-such-command-x9');
    const shown = await showRun(machine, chainIdOf(result.stderr));
    expect(shown.run).toMatchObject({ status: 'not-started', exitCode: 127, logKey: null });
    expect(shown.crashReports).toEqual([]);
  });

  it('a file that is not executable: exit 126', async () => {
    const machine = makeMachine(tempDir());
    const script = addProjectFile(machine, 'not-executable.sh', 'echo hi\n');
    const result = await agentlog(machine, ['run', '--cwd', machine.project, '--', script]);
    expect(result.code).toBe(126);
    expect(result.stderr).toContain(`agentlog: permission denied: ${script}`);
  });

  it('a run id already taken is refused before anything runs; a bad --meta or name too', async () => {
    const machine = makeMachine(tempDir());
    expect(
      (await agentlog(machine, ['run', '--run-id', 'exp-1', '--cwd', machine.project, '--', 'true'])).code,
    ).toBe(0);
    const again = await agentlog(machine, [
      'run',
      '--run-id',
      'exp-1',
      '--cwd',
      machine.project,
      '--',
      'python3',
      '-c',
      'print("ran")',
    ]);
    expect(again.code).toBe(4);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('A run with id exp-1 already exists.');
    const meta = await agentlog(machine, ['run', '--meta', 'novalue', '--', 'true']);
    expect(meta.code).toBe(2);
    expect(meta.stderr).toContain('--meta takes key=value, not "novalue".');
    const name = await agentlog(machine, ['run', '--run-id', '../up', '--', 'true']);
    expect(name.code).toBe(2);
    expect(name.stderr).toContain('--run-id "../up" is not a valid name.');
  });

  it('an unknown chain id is a clear error (exit 3) for runs show, crash report and crash analyze', async () => {
    const machine = makeMachine(tempDir());
    const log = join(machine.project, 'train.log');
    writeFileSync(log, 'Traceback (most recent call last):\nValueError: x\n');
    for (const args of [
      ['runs', 'show', 'ZZZZZZ'],
      ['crash', 'report', '--chain', 'ZZZZZZ', '--log', log],
      ['crash', 'analyze', 'ZZZZZZ'],
    ]) {
      const result = await agentlog(machine, args);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('agentlog: No run has the id or chain id "ZZZZZZ".');
    }
    const noLog = await agentlog(machine, [
      'crash',
      'report',
      '--chain',
      'ZZZZZZ',
      '--log',
      join(machine.project, 'none.log'),
    ]);
    expect(noLog.code).toBe(2);
    expect(noLog.stderr).toContain('No log file at');
  });
});
