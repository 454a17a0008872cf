import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { ownFixtures } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { filesOf, openAgentlog } from './dataset-fixture.ts';

const tempDir = useTempDirs();
const chatgptExport = join(ownFixtures, 'chatgpt', 'export', 'conversations.json');
const haiku = (n: number) => `0a1b2c3d-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`;

async function importInto(dir: string, source: string, path: string): Promise<void> {
  const imported = await runCli(['--data-dir', dir, 'import', source, path, '--json']);
  expect(imported.stderr).toBe('');
  expect(imported.code).toBe(0);
}

type Line = { messages: { role: string; content: string | null }[] };

/** Builds a training file of the source's sessions and returns each example as "role: content" lines. */
async function examplesOf(dir: string, source: string): Promise<string[][]> {
  const agentlog = await openAgentlog(dir, { minExamples: 1, validationFraction: 0 });
  try {
    const files = filesOf(agentlog);
    await files.create({ name: source, filter: `source=${source}` });
    const out = join(dir, `out-${Date.now()}`);
    await files.build(source, {}, { out });
    return readFileSync(join(out, 'train.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as Line).messages.map((m) => `${m.role}: ${m.content ?? ''}`));
  } finally {
    await agentlog.close();
  }
}

const haikuOf = (examples: string[][]) => examples.filter((e) => e[0]!.includes('haiku'));

describe('training examples follow one thread of a branching conversation', () => {
  it('ChatGPT: only the thread ending at the current node, not the edited or regenerated branches', async () => {
    const dir = tempDir();
    await importInto(dir, 'chatgpt', chatgptExport);
    // The first prompt (about rain) was edited into one about snow, whose answer was regenerated.
    expect(haikuOf(await examplesOf(dir, 'chatgpt'))).toEqual([
      [
        'user: Write a haiku about snow',
        'assistant: Snow falls without sound\nthe fence posts grow taller caps\ncold stars over fields',
      ],
    ]);
  });

  it('ChatGPT: a later export whose current node is on another branch moves the thread there', async () => {
    const dir = tempDir();
    await importInto(dir, 'chatgpt', chatgptExport);
    // The user went back to the first version of the prompt: the stored messages keep the marks
    // of the first export; the session's current node says where the thread ends now.
    const conversations = JSON.parse(readFileSync(chatgptExport, 'utf8')) as { current_node: string }[];
    conversations[0]!.current_node = haiku(3);
    const later = join(tempDir(), 'conversations.json');
    writeFileSync(later, JSON.stringify(conversations));
    await importInto(dir, 'chatgpt', later);
    expect(haikuOf(await examplesOf(dir, 'chatgpt'))).toEqual([
      ['user: Write a haiku about rain', expect.stringMatching(/^assistant: Soft rain on the roof\n/)],
    ]);
  });

  it('OpenAI preference pairs: the preferred answer, never the rejected one', async () => {
    const dir = tempDir();
    await importInto(dir, 'openai', join(ownFixtures, 'openai-chat', 'preference.jsonl'));
    const examples = (await examplesOf(dir, 'openai-chat')).flat();
    expect(examples).toContain('assistant: Botanically yes: it grows from a flower and holds seeds.');
    expect(examples).not.toContain('assistant: No, it is a vegetable.');
    expect(examples).not.toContain('assistant: I cannot know that.');
  });
});
