import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agentlog } from '../../../src/agentlog.ts';
import { ownFixtures } from '../../support/shared-fixtures.ts';
import { importClaude, messagesOf, openAgentlog, sessionByExternalId } from './imported-store.ts';

// Sessions of the IDE extensions: the file open in the editor and the selected lines come as text
// blocks (or a leading section) of the user's message, wrapped in tags, before what the user typed.
const projects = join(ownFixtures, 'claude-code', 'ide-context', 'projects');
const opened = 'c1000000-0000-4000-8000-000000000001';
const selected = 'c2000000-0000-4000-8000-000000000002';
const bashMode = 'c3000000-0000-4000-8000-000000000003';

describe('Claude Code: titles from what the user typed, not the IDE context beside it', () => {
  let dataDir: string;
  let agentlog: Agentlog;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agentlog-claude-ide-'));
    await importClaude(dataDir, [projects]);
    agentlog = await openAgentlog(dataDir);
  });
  afterAll(async () => {
    await agentlog?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('skips an opened-file block before the prompt', async () => {
    const session = await sessionByExternalId(agentlog, opened);
    expect(session.title).toBe('Why does the cart total ignore discounts?');
    // The message itself keeps every block: only the title leaves the context out.
    const [first] = await messagesOf(agentlog, session.id);
    expect(first!.blocks).toHaveLength(2);
    expect(first!.text).toContain('<ide_opened_file>');
  });

  it('takes the next prompt when a message holds only a selection, and skips a leading reminder', async () => {
    const session = await sessionByExternalId(agentlog, selected);
    expect(session.title).toBe('Round the tax to whole cents');
  });

  it('treats bash mode (`! command`) input and output as commands, not prompts', async () => {
    const session = await sessionByExternalId(agentlog, bashMode);
    expect(session.title).toBe('Commit the cart fix with a short message');
    const messages = await messagesOf(agentlog, session.id);
    expect(messages.map((m) => `${m.role}/${m.kind}`)).toEqual([
      'user/command',
      'user/command',
      'user/message',
    ]);
  });
});
