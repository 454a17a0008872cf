import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../support/temp-dir.ts';
import { addProjectFile, chainIdOf, makeMachine, showRun, spawnAgentlog } from './run-fixture.ts';

describe('agentlog run passes signals on', () => {
  const tempDir = useTempDirs();

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)(
    '%s sent to agentlog reaches the command, which ends by it; the exit code says so',
    async (signal, code) => {
      const machine = makeMachine(tempDir());
      addProjectFile(machine, 'wait.py');
      const child = spawnAgentlog(machine, ['run', '--cwd', machine.project, '--', 'python3', 'wait.py']);
      await child.waitFor('ready\n');
      process.kill(child.pid, signal);
      const exit = await child.exit;
      expect(exit).toEqual({ code, signal: null });
      const shown = await showRun(machine, chainIdOf(child.stderr()));
      expect(shown.run).toMatchObject({ status: 'signaled', signal, exitCode: code });
      expect(shown.crashReports[0]!.error).toMatchObject({ kind: 'signal', type: signal });
    },
  );

  it('a command that handles the signal and exits cleanly: agentlog exits 0 too', async () => {
    const machine = makeMachine(tempDir());
    addProjectFile(
      machine,
      'graceful.py',
      // The handler only sets a flag: printing inside it could re-enter a print still in progress.
      'import signal, time\nstopped = []\n' +
        'signal.signal(signal.SIGTERM, lambda *_: stopped.append(1))\n' +
        'print("ready", flush=True)\n' +
        'while not stopped:\n    time.sleep(0.05)\n' +
        'print("saving checkpoint", flush=True)\n',
    );
    const child = spawnAgentlog(machine, ['run', '--cwd', machine.project, '--', 'python3', 'graceful.py']);
    await child.waitFor('ready\n');
    process.kill(child.pid, 'SIGTERM');
    expect(await child.exit).toEqual({ code: 0, signal: null });
    expect(child.stdout()).toBe('ready\nsaving checkpoint\n');
    const shown = await showRun(machine, chainIdOf(child.stderr()));
    expect(shown.run).toMatchObject({ status: 'succeeded', exitCode: 0 });
  });
});
