import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateClaudeCorpus } from '../../bench/generate-claude-corpus.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

function files(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function digest(root: string): string {
  const hash = createHash('sha256');
  for (const path of files(root)) hash.update(relative(root, path)).update(readFileSync(path));
  return hash.digest('hex');
}

type Line = Record<string, unknown> & { message?: { id?: string; usage?: { output_tokens: number } } };

describe('the generated Claude Code corpus', () => {
  const shared = mkdtempSync(join(tmpdir(), 'agentlog-corpus-'));
  afterAll(() => rmSync(shared, { recursive: true, force: true }));
  const corpus = generateClaudeCorpus(shared, 4_000_000, 11);
  const lines: Line[] = files(corpus.projects).flatMap((path) =>
    readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as Line),
  );

  it('is the same for the same seed, and different for another', () => {
    expect(digest(generateClaudeCorpus(tempDir(), 4_000_000, 11).projects)).toBe(digest(corpus.projects));
    expect(digest(generateClaudeCorpus(tempDir(), 4_000_000, 12).projects)).not.toBe(digest(corpus.projects));
  });

  it('has at least the size asked for, in session and sub-agent files', () => {
    expect(corpus.bytes).toBeGreaterThanOrEqual(4_000_000);
    const paths = files(corpus.projects);
    expect(paths.some((p) => /\/subagents\/agent-a[0-9a-f]+\.jsonl$/.test(p))).toBe(true);
    expect(paths.some((p) => /\/subagents\/agent-acompact-[0-9a-f]{6}\.jsonl$/.test(p))).toBe(true);
  });

  it('splits model responses one block per line, with repeated, growing usage', () => {
    const byResponse = new Map<string, number[]>();
    for (const l of lines) {
      if (l.type !== 'assistant' || l.message?.id === undefined) continue;
      const list = byResponse.get(l.message.id) ?? [];
      list.push(l.message.usage!.output_tokens);
      byResponse.set(l.message.id, list);
    }
    const split = [...byResponse.values()].filter((counts) => counts.length > 1);
    expect(split.length).toBeGreaterThan(byResponse.size / 2);
    for (const counts of split) expect(counts.at(-1)).toBe(Math.max(...counts));
  });

  it('has the record kinds of real transcripts', () => {
    const kinds = new Set(
      lines.map((l) => (l.type === 'system' ? `system/${String(l.subtype)}` : String(l.type))),
    );
    for (const kind of [
      'user',
      'assistant',
      'progress',
      'file-history-snapshot',
      'system/compact_boundary',
      'system/turn_duration',
      'last-prompt',
    ])
      expect(kinds).toContain(kind);
    expect(lines.some((l) => l.isCompactSummary === true)).toBe(true);
    expect(lines.some((l) => typeof l.toolUseResult === 'object' && l.toolUseResult !== null)).toBe(true);
  });
});
