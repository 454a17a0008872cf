import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../support/run-cli.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

function cli(dir: string) {
  return (...args: string[]) => runCli(['--data-dir', dir, 'memory', ...args]);
}

describe('agentlog memory', () => {
  it('adds, lists, builds context, searches, edits, branches, pins and exports', async () => {
    const dir = tempDir();
    const memory = cli(dir);
    const add = await memory(
      'add',
      'chat-42',
      '--role',
      'user',
      '--content',
      'How big is the box?',
      '--agent',
      'sizing agent',
      '--json',
    );
    expect(add.code).toBe(0);
    const first = JSON.parse(add.stdout) as { status: string; message: { id: number } };
    expect(first.status).toBe('stored');
    const file = join(dir, 'answer.txt');
    writeFileSync(file, 'It is 30 cm wide.\nAnd 20 cm deep.');
    expect((await memory('add', 'chat-42', '--role', 'assistant', '--content-file', file)).stdout).toMatch(
      /^stored as message 2 in ses_\w+\n$/,
    );
    expect((await memory('pin', 'chat-42', '--note', 'Metric units.')).code).toBe(0);

    const recent = await memory('recent', 'chat-42');
    expect(recent.stdout).toBe(
      '#1  user (sizing agent): How big is the box?\n#2  assistant: It is 30 cm wide. And 20 cm deep.\n',
    );

    const text = await memory('context', 'chat-42', '--max-tokens', '1000');
    expect(text.stdout).toBe(
      'Pinned note: Metric units.\nUser (sizing agent): How big is the box?\nAssistant: It is 30 cm wide.\\nAnd 20 cm deep.\n',
    );
    expect(text.stderr).toMatch(/^2 messages, 1 pinned notes, \d+ tokens\n$/);
    const messages = await memory(
      'context',
      'chat-42',
      '--max-tokens',
      '1000',
      '--format',
      'messages',
      '--max-messages',
      '1',
      '--json',
    );
    expect(JSON.parse(messages.stdout)).toMatchObject({
      format: 'messages',
      messages: [{ role: 'system' }, { role: 'assistant', content: 'It is 30 cm wide.\nAnd 20 cm deep.' }],
      included: 1,
      omitted: 1,
    });

    expect((await memory('search', 'box', '--session', 'chat-42')).stdout).toMatch(
      /^#1 {2}ses_\w+ {2}How big is the \[box\]\?\n$/,
    );
    expect((await memory('edit', '1', '--content', 'How tall is the box?')).stdout).toBe(
      'message 1 edited\n',
    );
    const revisions = JSON.parse((await memory('revisions', '1', '--json')).stdout) as {
      revisions: { content: string }[];
    };
    expect(revisions.revisions.map((r) => r.content)).toEqual(['How big is the box?']);

    const branch = JSON.parse(
      (await memory('branch', 'chat-42', '--from', '1', '--name', 'retry', '--json')).stdout,
    );
    expect(branch).toMatchObject({ session: { name: 'retry', branchOf: { messageId: 1 } } });
    expect((await memory('retention', 'retry', '--keep-last', '50')).stdout).toBe(
      'retry: the hot window keeps the last 50\n',
    );
    const exported = JSON.parse((await memory('export', 'retry')).stdout);
    expect(exported).toMatchObject({
      pins: [{ content: 'Metric units.' }],
      messages: [{ content: 'How tall is the box?' }],
    });
    expect((await memory('export', 'retry', '--format', 'markdown')).stdout).toContain('## User');
    expect(JSON.parse((await memory('pins', 'retry', '--json')).stdout).pins).toHaveLength(1);
  });

  it('answers bad input with an error and an exit code', async () => {
    const memory = cli(tempDir());
    const cases: [string[], number, RegExp][] = [
      [['recent', 'nope'], 3, /No session "nope"/],
      [['add', 's', '--role', 'user', '--content', ''], 2, /content is empty/],
      [['add', 's', '--role', 'robot', '--content', 'x'], 2, /role/],
      [['add', 's', '--role', 'user'], 2, /--content/],
      [['add', 's', '--role', 'user', '--content', 'x', '--metadata', '[1]'], 2, /JSON object/],
      [['context', 's', '--max-tokens', '0'], 2, /positive whole number/],
      [['context', 's', '--max-tokens', '10', '--format', 'xml'], 2, /text or messages/],
      [['retention', 's'], 2, /--keep-last/],
      [['edit', '7', '--content', 'x'], 3, /No message 7/],
    ];
    for (const [args, code, message] of cases) {
      const result = await memory(...args);
      expect({ args, code: result.code }).toEqual({ args, code });
      expect(result.stderr).toMatch(message);
    }
  });

  it('writes durably from one process and reads from another', async () => {
    const dir = tempDir();
    const spawned = (...args: string[]) => spawnCli(['--data-dir', dir, 'memory', ...args]);
    expect((await spawned('add', 's', '--role', 'user', '--content', 'remember me')).code).toBe(0);
    const context = await spawned('context', 's', '--max-tokens', '100', '--json');
    expect(context.code).toBe(0);
    expect(JSON.parse(context.stdout)).toMatchObject({
      format: 'text',
      text: 'User: remember me',
      included: 1,
    });
  });
});
