import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectCodex } from '../../../src/sources/codex/detect.ts';
import { codexFixtures } from './imported-store.ts';

const head = (text: string, complete = true) => ({ path: 'x.jsonl', text, complete });
const fixture = (...parts: string[]) => readFileSync(join(codexFixtures, ...parts), 'utf8');

describe('Codex: detection by content', () => {
  it('accepts a rollout that starts with session_meta', () => {
    expect(detectCodex(head(fixture('odd', 'saved-exec-run.jsonl')))).toEqual({ ok: true });
  });

  it('accepts a first line cut off by the head (a session_meta with long instructions)', () => {
    const line = JSON.stringify({
      timestamp: '2026-03-02T10:00:00.000Z',
      type: 'session_meta',
      payload: { id: 'x', base_instructions: { text: 'x'.repeat(200) } },
    });
    expect(detectCodex(head(line.slice(0, 120), false))).toEqual({ ok: true });
    // Newer paginated threads number their lines; the ordinal may come first.
    const numbered = JSON.stringify({
      ordinal: 0,
      timestamp: '2026-04-01T17:03:27.300Z',
      type: 'session_meta',
    });
    expect(
      detectCodex(head(`${numbered.slice(0, -1)},"payload":{"id":"x","base_instructions":{"te`, false)),
    ).toEqual({
      ok: true,
    });
    expect(detectCodex(head('{"ordinal":0,"type":"turn_context","payload":{"te', false))).toMatchObject({
      ok: false,
    });
  });

  it('accepts the oldest format: a bare first line followed by state markers or bare items', () => {
    const legacy = fixture('legacy', 'rollout-2025-05-01-5f3c1a2e-0b7d-4c6e-9f10-2a3b4c5d6e01.jsonl');
    expect(detectCodex(head(legacy))).toEqual({ ok: true });
    expect(
      detectCodex(head('{"id":"a","timestamp":"2025-05-01T09:00:00Z"}\n{"name":"not codex"}\n')),
    ).toEqual({
      ok: false,
      reason: 'the first line is not a Codex session_meta record',
    });
  });

  it('says what other files are', () => {
    expect(detectCodex(head(fixture('bad', 'claude-session.jsonl')))).toEqual({
      ok: false,
      reason: 'a Claude Code transcript, not a Codex rollout',
    });
    expect(detectCodex(head('{"sessionId":"s","projectHash":"h","messages":[]}\n'))).toMatchObject({
      reason: 'a Gemini CLI session, not a Codex rollout',
    });
    expect(detectCodex(head('{\n  "id": "x"\n}\n'))).toMatchObject({
      reason: expect.stringMatching(/pretty-printed/),
    });
    expect(detectCodex(head('  \n'))).toEqual({ ok: false, reason: 'empty file' });
    expect(detectCodex(head('not json\n'))).toEqual({ ok: false, reason: 'the first line is not JSON' });
  });
});
