import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codexFixtures, importCodex, messagesOf, sessionOf, withStore } from './imported-store.ts';

// Codex 0.148+ writes a prompt and a reply as `item_completed` events (UserMessage, AgentMessage).
// One rollout (Codex Desktop) has its prompt only there; the other writes all three copies of
// each message: the response item, user_message or agent_message, and item_completed.
const desktop = '019ef000-0000-7000-8000-0000000000a1';
const threeCopies = '019ef010-0000-7000-8000-0000000000a2';

describe('Codex: messages written as item_completed', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agentlog-codex-completed-'));
    const summary = await importCodex(dataDir, [join(codexFixtures, 'completed-items')]);
    expect(summary).toMatchObject({ files: 2, sessions: 2, skippedLines: [] });
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const said = async (thread: string) =>
    withStore(dataDir, async (agentlog) =>
      (await messagesOf(agentlog, thread))
        .filter((m) => m.text.length > 0)
        .map((m) => [m.role, m.kind, m.text]),
    );

  it('keeps a prompt that exists only as item_completed, and titles the session with it', async () => {
    expect(await said(desktop)).toEqual([
      // What a hook adds to the turn is context, not the person's prompt.
      [
        'user',
        'meta',
        '<hook_prompt hook_run_id="run-7">\nRun the linter before you answer.\n</hook_prompt>',
      ],
      ['user', 'message', 'explain the retry loop'],
      ['assistant', 'message', 'It retries three times with backoff.'],
    ]);
    await withStore(dataDir, async (agentlog) =>
      expect((await sessionOf(agentlog, desktop)).title).toBe('explain the retry loop'),
    );
  });

  it('keeps one of three copies of a prompt and of a reply', async () => {
    expect(await said(threeCopies)).toEqual([
      ['user', 'message', 'is the queue drained on shutdown?'],
      ['assistant', 'message', 'Yes: stop() waits for in-flight jobs.'],
    ]);
  });
});
