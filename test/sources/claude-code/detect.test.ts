import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectClaude } from '../../../src/sources/claude-code/detect.ts';
import {
  hasSharedFixtures,
  ownFixtures,
  sharedSkipReason,
  sharedTranscripts,
} from '../../support/shared-fixtures.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { importClaude, openAgentlog } from './imported-store.ts';

const tempDir = useTempDirs();
const head = (text: string, complete = true) => detectClaude({ path: 'x.jsonl', text, complete });
const user = JSON.stringify({
  type: 'user',
  uuid: 'u1',
  sessionId: 's1',
  message: { role: 'user', content: 'hi' },
});

describe('Claude Code detection (by content, never by name)', () => {
  it('accepts a transcript, with or without a byte order mark', () => {
    expect(head(`${user}\n`)).toEqual({ ok: true });
    expect(head(`\uFEFF${user}\n`)).toEqual({ ok: true });
    expect(head(`{"type":"file-history-snapshot","messageId":"m","snapshot":{}}\n${user}\n`)).toEqual({
      ok: true,
    });
  });

  it('judges by the first line that parses, so a broken first line does not hide the file', () => {
    expect(head(`{"type":"user","uuid":"u0","mess\n${user}\n`)).toEqual({ ok: true });
    expect(head(`\n\n${user}\n`)).toEqual({ ok: true });
  });

  it('reads on past a record of no known shape (a newer record type, a damaged field)', () => {
    expect(head(`{"type":"some-future-record","data":{}}\n${user}\n`)).toEqual({ ok: true });
    expect(head(`{"type":7,"uuid":"u0"}\n${user}\n`)).toEqual({ ok: true });
    expect(head('{"type":"some-future-record"}\n{"hello":"world"}\n')).toEqual({
      ok: false,
      reason: 'no Claude Code record type on the first JSON line',
    });
  });

  it('judges a first line longer than the head by its start', () => {
    expect(head('{"type":"file-history-snapshot","snapshot":{"trackedFileBackups":{"a":', false)).toEqual({
      ok: true,
    });
    expect(head('{"timestamp":"t","type":"session_meta","payload":{"base_instructions":"', false)).toEqual({
      ok: false,
      reason: 'the first line is not JSON',
    });
  });

  it('names what the file is when it is another agent’s', () => {
    expect(head('{\n  "sessionId": "s",\n  "projectHash": "p"\n}\n')).toEqual({
      ok: false,
      reason: 'a pretty-printed JSON document, not JSON Lines (a Gemini CLI session or an export?)',
    });
    expect(head('{"sessionId":"s","projectHash":"p","messages":[]}\n')).toEqual({
      ok: false,
      reason: 'a Gemini CLI session, not a Claude Code transcript',
    });
    expect(head('{"timestamp":"t","type":"session_meta","payload":{}}\n')).toEqual({
      ok: false,
      reason: 'a Codex rollout, not a Claude Code transcript',
    });
    expect(head('{"role":"user","content":"hi"}\n')).toEqual({
      ok: false,
      reason: 'no Claude Code record type on the first JSON line',
    });
  });

  it('rejects empty and non-JSON files', () => {
    expect(head('\n \n')).toEqual({ ok: false, reason: 'empty file' });
    expect(head('hello\n')).toEqual({ ok: false, reason: 'the first line is not JSON' });
    expect(head('a\nb\nc\n')).toEqual({ ok: false, reason: 'none of the first 3 lines is JSON' });
    expect(head('[1,2]\n')).toEqual({ ok: false, reason: 'the first JSON line is not an object' });
  });
});

describe('import claude over files that are not Claude Code transcripts', () => {
  it('reports each misnamed file with what it is and stores nothing', async () => {
    const dataDir = tempDir();
    const dir = join(ownFixtures, 'claude-code', 'misnamed');
    const summary = await importClaude(dataDir, [dir]);
    const file = (name: string) => join(dir, '-home-dev-misc', name);
    expect(summary.skippedFiles).toEqual([
      {
        file: file('gemini-one-line.jsonl'),
        reason: 'not a claude-code transcript: a Gemini CLI session, not a Claude Code transcript',
      },
      {
        file: file('gemini-pretty.jsonl'),
        reason:
          'not a claude-code transcript: a pretty-printed JSON document, not JSON Lines (a Gemini CLI session or an export?)',
      },
      {
        file: file('rollout-2026-03-02T09-10-00-019e1625-0000-7000-8000-000000000001.jsonl'),
        reason: 'not a claude-code transcript: a Codex rollout, not a Claude Code transcript',
      },
    ]);
    expect(summary).toMatchObject({ files: 3, filesSkipped: 3, messages: 0, skippedLines: [] });
    const agentlog = await openAgentlog(dataDir);
    try {
      expect(await agentlog.store.counts(agentlog.project.id)).toEqual({
        sessions: 0,
        messages: 0,
        rawRecords: 0,
      });
    } finally {
      await agentlog.close();
    }
  });

  it.skipIf(!hasSharedFixtures)(
    `skips the real Codex rollouts${hasSharedFixtures ? '' : ` (skipped: ${sharedSkipReason})`}`,
    async () => {
      const summary = await importClaude(tempDir(), [join(sharedTranscripts, 'codex')]);
      expect(summary.files).toBe(2);
      expect(summary.skippedFiles.map((f) => f.reason)).toEqual([
        'not a claude-code transcript: a Codex rollout, not a Claude Code transcript',
        'not a claude-code transcript: a Codex rollout, not a Claude Code transcript',
      ]);
    },
  );
});
