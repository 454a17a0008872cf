import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agentlog } from '../../../src/agentlog.ts';
import { ownFixtures } from '../../support/shared-fixtures.ts';
import { importClaude, messagesOf, openAgentlog, sessionByExternalId } from './imported-store.ts';

// Claude Code 2.1.1xx folds a prompt typed while the agent works into the running turn as a
// `queued_command` attachment, and writes no `user` line for it.
const projects = join(ownFixtures, 'claude-code', 'queued-prompts', 'projects');
const working = 'f1000000-0000-4000-8000-000000000001';
const queuedFirst = 'f2000000-0000-4000-8000-000000000002';

describe('Claude Code: prompts typed while the agent worked (queued_command attachments)', () => {
  let dataDir: string;
  let agentlog: Agentlog;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agentlog-claude-queued-'));
    await importClaude(dataDir, [projects]);
    agentlog = await openAgentlog(dataDir);
  });
  afterAll(async () => {
    await agentlog?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("are the user's messages; notifications and other sessions' messages stay injected context", async () => {
    const session = await sessionByExternalId(agentlog, working);
    expect(session.title).toBe('Run the test suite and fix what fails');
    const messages = await messagesOf(agentlog, session.id);
    expect(messages.map((m) => `${m.role}/${m.kind}: ${m.text.slice(0, 30)}`)).toEqual([
      'user/message: Run the test suite and fix wha',
      'assistant/message: ',
      'user/message: Also skip the flaky upload tes',
      'tool/tool_result: ',
      'user/meta: <task-notification><task-id>b1',
      'user/meta: Message from the reviewer sess',
      'user/command: <command-name>/compact</comman',
    ]);
    expect(messages[2]!.meta).toMatchObject({ subtype: 'queued_command' });
  });

  it('title a session whose first typed words are one', async () => {
    const session = await sessionByExternalId(agentlog, queuedFirst);
    expect(session.title).toBe('Rename the health endpoint to /livez');
  });
});
