import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../support/temp-dir.ts';
import { codexFixtures, importCodex, messagesOf, sessionOf, withStore } from './imported-store.ts';

const tempDir = useTempDirs();
const main = '019cadfd-8900-7aaa-8000-000000000001';
const name = `rollout-2026-03-02T11-00-00-${main}.jsonl`;
const lines = readFileSync(join(codexFixtures, 'home', 'sessions', '2026', '03', '02', name), 'utf8')
  .split('\n')
  .filter((l) => l.length > 0);

/** What a store holds for the main thread: its messages and its usage rows. */
async function contents(dataDir: string) {
  return withStore(dataDir, async (agentlog) => {
    const session = await sessionOf(agentlog, main);
    const messages = (await messagesOf(agentlog, main)).map((m) => [
      m.externalId,
      m.role,
      m.kind,
      m.text,
      m.model,
    ]);
    const usage = await agentlog.store.usage({
      projectId: agentlog.project.id,
      groupBy: 'model',
      source: 'codex',
    });
    return { title: session.title, models: session.models, messages, usage };
  });
}

describe('Codex: a rollout read while Codex is still writing it', () => {
  it('ends up the same as one read whole, though the cut falls inside a mirrored pair', async () => {
    const dir = tempDir();
    const file = join(dir, name);
    // Line 20 is the reply's event copy, line 21 its item; line 21 is half written at first.
    writeFileSync(file, `${lines.slice(0, 20).join('\n')}\n${lines[20]!.slice(0, 30)}`);
    const growing = tempDir();
    const first = await importCodex(growing, [file]);
    expect(first.skippedLines).toEqual([
      { file, line: 21, reason: expect.stringMatching(/^incomplete last line/) },
    ]);
    writeFileSync(file, `${lines.slice(0, 20).join('\n')}\n`);
    appendFileSync(file, `${lines.slice(20).join('\n')}\n`);
    const second = await importCodex(growing, [file]);
    // Resumed after line 20: the earlier lines are replayed, so the mirror and the model are known.
    expect(second).toMatchObject({ newMessages: 0, skippedLines: [] });

    const whole = tempDir();
    await importCodex(whole, [file]);
    const expected = await contents(whole);
    expect(expected.usage).toEqual([expect.objectContaining({ key: 'gpt-5.1-codex', responses: 3 })]);
    expect(await contents(growing)).toEqual(expected);
  });
});

describe('Codex: a rollback written after an import stopped', () => {
  it('marks the messages of the undone turn, stored by the earlier import', async () => {
    const thread = '019d4a00-0000-7000-8000-00000000000a';
    const newer = `rollout-2026-04-01T19-03-27-${thread}.jsonl`;
    const all = readFileSync(join(codexFixtures, 'newer', newer), 'utf8').split('\n');
    const dir = tempDir();
    const file = join(dir, newer);
    // Line 24 is the rollback: the first import ends just before it.
    writeFileSync(file, `${all.slice(0, 23).join('\n')}\n`);
    const data = tempDir();
    await importCodex(data, [file]);
    appendFileSync(file, all.slice(23).join('\n'));
    const second = await importCodex(data, [file]);
    expect(second).toMatchObject({ newMessages: 3, messages: 3 + 4 });
    await withStore(data, async (agentlog) => {
      const marked = (await messagesOf(agentlog, thread)).filter((m) => m.meta.rewound === true);
      expect(marked.map((m) => m.seq)).toEqual([20, 21, 22, 23]);
    });
  });
});
