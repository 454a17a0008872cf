import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

// What an agent backend writes: the library by its package name, on a store of its own.
const program = `
const { openMemory } = await import('agentlog/memory');
const memory = await openMemory({ dataDir: process.argv[1] });
await memory.addMessage('chat', { role: 'user', content: 'Hello', agent: 'web' });
await memory.addMessage('chat', { role: 'assistant', content: 'Hi, how can I help?' });
const context = await memory.context('chat', { maxTokens: 100 });
await memory.close();
process.stdout.write(context.text);
`;

describe('agentlog/memory', () => {
  it('is importable by its package name', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', program, tempDir()],
      { cwd: projectRoot },
    );
    expect(stdout).toBe('User (web): Hello\nAssistant: Hi, how can I help?');
  });
});
