import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rawHash } from '../../src/ingest/raw-codec.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import {
  importClaude,
  messagesOf,
  openAgentlog,
  sessionByExternalId,
} from '../sources/claude-code/imported-store.ts';

// Bad input never costs good data: each broken line is reported with file, line and reason and
// skipped; every valid line around it is stored. Large and many-file inputs are generated here.
const tempDir = useTempDirs();
const session = '0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a';
const uuid = (n: number) => `d${String(n).padStart(7, '0')}-0000-4000-8000-000000000000`;
const ts = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();

function user(n: number, content: unknown = `prompt ${n}`, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'user',
    uuid: uuid(n),
    parentUuid: null,
    sessionId: session,
    cwd: '/work',
    timestamp: ts(n),
    message: { role: 'user', content },
    ...extra,
  });
}

function assistant(
  n: number,
  usage: Record<string, unknown> = { input_tokens: 1, output_tokens: 2 },
): string {
  return JSON.stringify({
    type: 'assistant',
    uuid: uuid(n),
    parentUuid: uuid(n - 1),
    sessionId: session,
    timestamp: ts(n),
    requestId: `req_${n}`,
    message: {
      id: `msg_${n}`,
      role: 'assistant',
      model: 'claude-opus-4-7',
      content: [{ type: 'text', text: `answer ${n}` }],
      usage,
    },
  });
}

/** Node's own message for text that is not JSON, as the import reports it. */
function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return `invalid JSON: ${(error as Error).message}`;
  }
  throw new Error(`${text} is valid JSON`);
}

function projectDir(): { dir: string; file: string } {
  const dir = join(tempDir(), 'projects', '-work');
  mkdirSync(dir, { recursive: true });
  return { dir, file: join(dir, `${session}.jsonl`) };
}

const incomplete =
  'incomplete last line (the file may still be being written); it is read once it is complete';

describe('import claude: broken lines', () => {
  it('reports each broken line precisely and keeps every good line', async () => {
    const { file } = projectDir();
    const broken = '{"type":"user","uuid":';
    const lines: (string | Buffer)[] = [
      user(1),
      broken,
      Buffer.concat([Buffer.from(user(3, 'caf').slice(0, -3)), Buffer.from([0xff]), Buffer.from('"}}')]),
      assistant(4),
      '[1,2]',
      '"just a string"',
      user(7).replace(`"uuid":"${uuid(7)}"`, '"uuid":42'),
      user(8, 7),
      user(9).replace(ts(9), 'yesterday'),
      assistant(10, { input_tokens: 1, output_tokens: '12' }),
      JSON.stringify({ type: 'assistant', uuid: uuid(11), sessionId: session, timestamp: ts(11) }),
      JSON.stringify({ type: 'user', sessionId: session, message: { role: 'user', content: 'no uuid' } }),
      '\r',
      `${user(14)}\r`,
      JSON.stringify({
        type: 'hologram',
        uuid: uuid(15),
        sessionId: session,
        timestamp: ts(15),
        beam: 'a future record type',
      }),
      user(16, 'lone \ud800 surrogate'),
      '',
      user(18),
    ];
    writeFileSync(file, Buffer.concat(lines.map((l) => Buffer.concat([Buffer.from(l), Buffer.from('\n')]))));

    const dataDir = tempDir();
    const summary = await importClaude(dataDir, [file]);
    const at = (line: number, reason: string) => ({ file, line, reason });
    expect(summary.skippedLines).toEqual([
      at(2, jsonError(broken)),
      at(3, 'invalid UTF-8'),
      at(5, 'not a JSON object'),
      at(6, 'not a JSON object'),
      at(7, 'uuid: expected a string, got number'),
      at(8, 'message.content: expected a string or an array, got number'),
      at(9, 'timestamp: not a valid timestamp: "yesterday"'),
      at(10, 'message.usage.output_tokens: expected a number, got string'),
      at(11, 'message: missing'),
      at(12, 'uuid: missing on a conversation record'),
    ]);
    expect(summary.skippedFiles).toEqual([]);

    const agentlog = await openAgentlog(dataDir);
    try {
      const stored = await messagesOf(agentlog, (await sessionByExternalId(agentlog, session)).id);
      expect(stored.map((m) => m.externalId)).toEqual([1, 4, 14, 16, 18].map(uuid));
      expect(stored.find((m) => m.externalId === uuid(16))?.text).toBe('lone \ufffd surrogate');
      // Lines that parse as JSON are kept raw even when they cannot be normalised; the rest cannot be.
      const kept: number[] = [];
      for (const [i, line] of lines.entries()) {
        const raw = await agentlog.store.rawRecord(
          agentlog.project.id,
          'claude-code',
          rawHash(Buffer.from(line)),
        );
        if (raw !== null) kept.push(i + 1);
      }
      expect(kept).toEqual([1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 18]);
    } finally {
      await agentlog.close();
    }
  });

  it('reads a truncated last line once it is complete, with line numbers that continue', async () => {
    const { file } = projectDir();
    const third = user(3);
    writeFileSync(file, `${user(1)}\n${assistant(2)}\n${third.slice(0, 40)}`);
    const dataDir = tempDir();
    const first = await importClaude(dataDir, [file]);
    expect(first.skippedLines).toEqual([{ file, line: 3, reason: incomplete }]);
    expect(first).toMatchObject({ messages: 2, newMessages: 2 });

    appendFileSync(file, `${third.slice(40)}\nnot json\n${assistant(5)}\n`);
    const second = await importClaude(dataDir, [file]);
    expect(second.skippedLines).toEqual([{ file, line: 4, reason: jsonError('not json') }]);
    expect(second).toMatchObject({ messages: 2, newMessages: 2 });

    const agentlog = await openAgentlog(dataDir);
    try {
      const stored = await messagesOf(agentlog, (await sessionByExternalId(agentlog, session)).id);
      expect(stored.map((m) => [m.externalId, m.seq])).toEqual([
        [uuid(1), 1],
        [uuid(2), 2],
        [uuid(3), 3],
        [uuid(5), 5],
      ]);
    } finally {
      await agentlog.close();
    }
  });

  it('reads a file that starts with a byte order mark', async () => {
    const { file } = projectDir();
    writeFileSync(file, `\uFEFF${user(1)}\n${assistant(2)}\n`);
    const summary = await importClaude(tempDir(), [file]);
    expect(summary).toMatchObject({ messages: 2, skippedLines: [], skippedFiles: [] });
  });

  it('stores a 50 MB line whole, between ordinary ones', async () => {
    const { file } = projectDir();
    const big = 'x'.repeat(50 * 1024 * 1024);
    // The huge line comes first: detection sees only its start.
    writeFileSync(file, `${user(1, big)}\n${assistant(2)}\n${user(3)}\n`);
    const dataDir = tempDir();
    const summary = await importClaude(dataDir, [file]);
    expect(summary).toMatchObject({ messages: 3, newMessages: 3, skippedLines: [], skippedFiles: [] });
    const agentlog = await openAgentlog(dataDir);
    try {
      const stored = await messagesOf(agentlog, (await sessionByExternalId(agentlog, session)).id);
      expect(stored.map((m) => m.text.length)).toEqual([big.length, 'answer 2'.length, 'prompt 3'.length]);
    } finally {
      await agentlog.close();
    }
  }, 180_000);
});

describe('import claude: files that cannot be used', () => {
  it('skips empty, blank, dangling, FIFO and directory entries without hanging, and imports the rest', async () => {
    const { dir, file } = projectDir();
    writeFileSync(file, `${user(1)}\n`);
    writeFileSync(join(dir, 'empty.jsonl'), '');
    writeFileSync(join(dir, 'blank.jsonl'), '\n \n');
    symlinkSync(join(dir, 'missing-target'), join(dir, 'dangling.jsonl'));
    execFileSync('mkfifo', [join(dir, 'pipe.jsonl')]);
    symlinkSync(join(dir, 'pipe.jsonl'), join(dir, 'pipe-link.jsonl'));
    mkdirSync(join(dir, 'folder.jsonl'));
    symlinkSync(join(dir, 'folder.jsonl'), join(dir, 'folder-link.jsonl'));

    const summary = await importClaude(tempDir(), [join(dir, '..')]);
    const skip = (name: string, reason: string) => ({ file: join(dir, name), reason });
    // The FIFO and the directory themselves are not transcripts to the walker; links to them are.
    expect(summary.skippedFiles).toEqual([
      skip('blank.jsonl', 'not a claude-code transcript: empty file'),
      skip('dangling.jsonl', 'cannot be read (missing or no permission)'),
      skip('empty.jsonl', 'empty file'),
      skip('folder-link.jsonl', 'not a regular file'),
      skip('pipe-link.jsonl', 'not a regular file'),
    ]);
    expect(summary).toMatchObject({ files: 6, filesSkipped: 5, messages: 1, skippedLines: [] });

    const fifoOnly = await importClaude(tempDir(), [join(dir, 'pipe.jsonl')]);
    expect(fifoOnly).toMatchObject({ files: 0, messages: 0 });
  });

  it('imports thousands of files in one directory, reporting the few broken lines', async () => {
    const { dir } = projectDir();
    const count = 2000;
    const broken = new Set([7, 1000, 1999]);
    for (let i = 0; i < count; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const line = JSON.stringify({
        type: 'user',
        uuid: `e0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        sessionId: id,
        timestamp: ts(i % 60),
        message: { role: 'user', content: `file ${i}` },
      });
      writeFileSync(join(dir, `${id}.jsonl`), broken.has(i) ? `${line}\n{"type":\n` : `${line}\n`);
    }
    const summary = await importClaude(tempDir(), [dir]);
    expect(summary).toMatchObject({ files: count, filesSkipped: 0, sessions: count, messages: count });
    expect(summary.skippedLines).toEqual(
      [...broken].map((i) => ({
        file: join(dir, `00000000-0000-4000-8000-${String(i).padStart(12, '0')}.jsonl`),
        line: 2,
        reason: jsonError('{"type":'),
      })),
    );
  }, 180_000);
});
