import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectCodex } from '../../../src/sources/codex/detect.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { codexFixtures, importCodex, messagesOf, withStore } from './imported-store.ts';

const tempDir = useTempDirs();
const id = '019cbd00-0000-7000-8000-00000000000c';
const file = join(codexFixtures, 'blank-start', `rollout-2026-03-05T08-00-00-${id}.jsonl`);
const head = (text: string) => ({ path: 'x.jsonl', text, complete: true });

// Blank lines hold no record: a rollout that starts with one (or has them between lines) is still one.
describe('Codex: blank lines before the first record', () => {
  it('judges the first non-blank line, and for the oldest format the next non-blank one', () => {
    expect(detectCodex(head(readFileSync(file, 'utf8')))).toEqual({ ok: true });
    expect(
      detectCodex(head('\r\n  \n{"id":"a","timestamp":"2025-05-01T09:00:00Z"}\n\n{"record_type":"state"}\n')),
    ).toEqual({
      ok: true,
    });
    expect(
      detectCodex(head('\n{"id":"a","timestamp":"2025-05-01T09:00:00Z"}\n\n{"name":"not codex"}\n')),
    ).toEqual({ ok: false, reason: 'the first line is not a Codex session_meta record' });
    expect(detectCodex(head('\n\n{\n  "id": "x"\n}\n'))).toMatchObject({
      reason: expect.stringMatching(/pretty-printed/),
    });
  });

  it('imports such a rollout whole', async () => {
    const dataDir = tempDir();
    expect(await importCodex(dataDir, [file])).toMatchObject({
      files: 1,
      filesSkipped: 0,
      sessions: 1,
      messages: 2,
      skippedLines: [],
    });
    const messages = await withStore(dataDir, (agentlog) => messagesOf(agentlog, id));
    expect(messages.map((m) => [m.role, m.text])).toEqual([
      ['user', 'How many plants are listed in beds.txt?'],
      ['assistant', 'Twelve plants, in four beds.'],
    ]);
  });
});
