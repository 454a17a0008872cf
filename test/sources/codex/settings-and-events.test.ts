import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { codexFixtures, importCodex, messagesOf, sessionOf, withStore } from './imported-store.ts';

const tempDir = useTempDirs();
const id = '019cc000-0000-7000-8000-0000000000a1';
const file = join(codexFixtures, 'settings-model', `rollout-2026-03-07T09-00-00-${id}.jsonl`);

// A thread whose turns write no turn_context: only thread_settings_applied names its model, and its
// abort, rollback and review events carry no message of their own.
describe('Codex: thread settings and events without a message', () => {
  it("takes the model from the thread's settings when no turn_context names one", async () => {
    const dataDir = tempDir();
    await importCodex(dataDir, [file]);
    await withStore(dataDir, async (agentlog) => {
      const session = await sessionOf(agentlog, id);
      expect(session.models).toEqual(['gpt-5.2-codex']);
      const messages = await messagesOf(agentlog, id);
      expect(messages.find((m) => m.role === 'assistant')?.model).toBe('gpt-5.2-codex');
      const byModel = await agentlog.store.usage({ projectId: agentlog.project.id, groupBy: 'model' });
      expect(byModel.map((r) => [r.key, r.outputTokens])).toEqual([['gpt-5.2-codex', 40]]);
    });
  });

  it('gives an abort, a rollback and review mode a line built from their fields', async () => {
    const dataDir = tempDir();
    await importCodex(dataDir, [file]);
    const events = await withStore(dataDir, async (agentlog) =>
      (await messagesOf(agentlog, id)).filter((m) => m.kind === 'event'),
    );
    expect(events.map((m) => m.text)).toEqual([
      'turn aborted: interrupted',
      'thread rolled back: 1 turn',
      'entered review mode: current changes',
    ]);
    const shown = await runCli(['--data-dir', dataDir, 'sessions', 'show', id, '--format', 'markdown']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(
      '## System · event <sub>2026-03-07T09:00:06.000Z</sub>\n\nturn aborted: interrupted\n',
    );
  });
});
