import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAgentlog } from './imported-store.ts';
import { importFile } from '../../../src/ingest/import-file.ts';
import { gemini } from '../../../src/sources/gemini/index.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { ownFixtures } from '../../support/shared-fixtures.ts';
import { importInGroups, revisionCount, storedState } from './coalesced-import.ts';

const tempDir = useTempDirs();

// 35 lines: tool calls scheduled then answered, a copy that changes only its time, a message
// changed and changed back, `$rewindTo` (an id, then one not found), a message appended again
// after a rewind, a `$set` checkpoint of messages, an image in a tool result, a key to redact.
const fixture = join(
  ownFixtures,
  'gemini-rewrites',
  'my-project',
  'chats',
  'session-2026-06-01T10-00-feedf00d.jsonl',
);
const lines = readFileSync(fixture, 'utf8').split('\n').slice(0, -1);

/** A chat file holding the fixture's first `count` lines, as Gemini had written it by then. */
function writeChat(dir: string, count: number): string {
  const path = join(dir, 'tmp', 'my-project', 'chats', 'session-2026-06-01T10-00-feedf00d.jsonl');
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, lines.slice(0, count).join('\n') + '\n');
  return path;
}

/** `agentlog import`'s way, one import per cut. */
async function importFiles(cuts: number[]): Promise<string> {
  const dir = tempDir();
  for (const count of [...cuts, lines.length]) {
    const agentlog = await openAgentlog(dir);
    try {
      const path = writeChat(dir, count);
      const outcome = await importFile({
        store: agentlog.store,
        projectId: agentlog.project.id,
        format: gemini,
        path,
      });
      expect(outcome).toMatchObject({ status: 'imported', skippedLines: [] });
    } finally {
      await agentlog.close();
    }
  }
  return dir;
}

/** The chat read `groupLines` lines at a time, coalesced or not, one import per cut. */
async function importGroups(
  cuts: number[],
  groupLines: number,
  coalesce = true,
): Promise<{ dir: string; messages: number }> {
  const dir = tempDir();
  let from = 0;
  let messages = 0;
  for (const count of [...cuts, lines.length]) {
    messages += await importInGroups(dir, writeChat(dir, count), { fromLine: from, groupLines, coalesce });
    from = count;
  }
  return { dir, messages };
}

describe('gemini: coalescing the copies of a message read together', () => {
  it('stores the same sessions, messages, enrichments, usage and raw records as storing every copy', async () => {
    for (const cuts of [[], [12], [16, 24]]) {
      const expected = storedState((await importGroups(cuts, 1000, false)).dir);
      expect(expected.messages).toHaveLength(12);
      expect(storedState(await importFiles(cuts)), `agentlog import, cut at ${cuts.join(', ')}`).toEqual(
        expected,
      );
      for (const groupLines of [1, 2, 3, 4, 7, 1000]) {
        const { dir } = await importGroups(cuts, groupLines);
        expect(storedState(dir), `cut at ${cuts.join(', ')}, ${groupLines} lines at a time`).toEqual(
          expected,
        );
      }
    }
  });

  it('prepares and writes only the copies that decide the stored row', async () => {
    const everyCopy = await importGroups([], 1000, false);
    const oneLine = await importGroups([], 1);
    const whole = await importGroups([], 1000);
    // Read one line at a time, nothing is coalesced: every message record is written.
    expect(everyCopy.messages).toBe(29);
    expect(oneLine.messages).toBe(29);
    expect(revisionCount(oneLine.dir)).toBe(15);
    expect(revisionCount(everyCopy.dir)).toBe(15);
    // Read together: one copy of each of the 12 messages, except the three copies of the one a
    // `$set` checkpoint added first (not revisable: left as they are), hence one revision.
    expect(whole.messages).toBe(14);
    expect(revisionCount(whole.dir)).toBe(1);
  });
});
