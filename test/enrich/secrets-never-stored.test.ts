import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { zstdDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createAgentlog } from '../../src/agentlog.ts';
import { loadConfig } from '../../src/config/config.ts';
import { importRun } from '../../src/ingest/import-run.ts';
import { claudeCode } from '../../src/sources/claude-code/index.ts';
import { runCli } from '../support/run-cli.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { bearer, injectable } from '../server/server-fixture.ts';
import { canaries } from '../fixtures/enrich/canaries.ts';

const tempDir = useTempDirs();
const sessionId = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/** The secrets the transcript holds, and pieces of them that must not survive either. */
const secrets = [
  canaries.github_token,
  canaries.aws_access_key,
  canaries.email,
  canaries.anthropic_key,
  ...canaries.private_key.split('\n').slice(1, -1),
];

function line(uuid: string, parent: string | null, type: 'user' | 'assistant', message: unknown, extra = {}) {
  return JSON.stringify({
    parentUuid: parent,
    isSidechain: false,
    userType: 'external',
    cwd: '/work',
    sessionId,
    version: '2.0.64',
    gitBranch: 'main',
    type,
    uuid,
    timestamp: '2026-01-02T03:04:05.000Z',
    message,
    ...extra,
  });
}

/** A Claude Code transcript with secrets in a prompt, a tool call, a tool result and its raw copy. */
function writeTranscript(dir: string): string {
  const projects = join(dir, 'projects');
  mkdirSync(join(projects, '-work'), { recursive: true });
  const keyFile = canaries.private_key;
  const lines = [
    line('u1', null, 'user', {
      role: 'user',
      content: `Deploy with ${canaries.github_token} and mail ${canaries.email} when done.`,
    }),
    line('u2', 'u1', 'assistant', {
      model: 'claude-sonnet-4-5-20250929',
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      content: [
        {
          type: 'tool_use',
          id: 'toolu_1',
          name: 'Bash',
          input: { command: `AWS_ACCESS_KEY_ID=${canaries.aws_access_key} ./deploy.sh` },
        },
      ],
      usage: {
        input_tokens: 10,
        output_tokens: 5,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    }),
    line(
      'u3',
      'u2',
      'user',
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: keyFile }] },
      { toolUseResult: { stdout: keyFile, stderr: '', interrupted: false } },
    ),
  ];
  // The secret written with a JSON escape (`\u0073` is "s"): the raw bytes do not hold it as is.
  const escaped = line('u4', 'u3', 'user', { role: 'user', content: `key SECRET_ESCAPE` }).replace(
    'SECRET_ESCAPE',
    `\\u0073${canaries.anthropic_key.slice(1)}`,
  );
  writeFileSync(join(projects, '-work', `${sessionId}.jsonl`), `${[...lines, escaped].join('\n')}\n`);
  return projects;
}

/** Every byte of the store's files, and every raw record decompressed (read by an outside reader). */
function storedBytes(dataDir: string): string {
  const db = join(dataDir, 'agentlog.db');
  const parts = [db, `${db}-wal`].filter(existsSync).map((file) => readFileSync(file).toString('latin1'));
  const reader = new DatabaseSync(db, { readOnly: true });
  try {
    const rows = reader.prepare('SELECT data FROM raw_records').all() as { data: Uint8Array }[];
    expect(rows.length).toBeGreaterThan(0);
    // Small records are stored as they are; the rest are zstd frames (magic 28 b5 2f fd).
    const zstd = (data: Uint8Array) =>
      Buffer.from(data.subarray(0, 4)).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]));
    for (const row of rows)
      parts.push((zstd(row.data) ? zstdDecompressSync(row.data) : Buffer.from(row.data)).toString('utf8'));
  } finally {
    reader.close();
  }
  return parts.join('\n');
}

describe('no secret reaches the SQLite file', () => {
  it('through an import: messages, full-text index, raw records, enrichment', async () => {
    const dir = tempDir();
    const projects = writeTranscript(dir);
    const result = await runCli(['--data-dir', dir, 'import', 'claude', projects, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ newMessages: 4 });
    const bytes = storedBytes(dir);
    for (const secret of secrets) expect(bytes.includes(secret), secret.slice(0, 12)).toBe(false);
    expect(bytes).toContain('[REDACTED:github_token]');
    expect(bytes).toContain('[REDACTED:private_key]');
    expect(bytes).toContain('[REDACTED:anthropic_key]');
  });

  it('through the HTTP API, with the store open (the WAL holds the commit)', async () => {
    const dir = tempDir();
    const server = await injectable(dir);
    try {
      const response = await server.app.inject({
        method: 'POST',
        url: '/v1/messages:batch',
        headers: bearer(server.key),
        payload: {
          messages: [
            { id: 'm1', session: 'chat', role: 'user', content: `my token is ${canaries.github_token}` },
            {
              id: 'm2',
              session: 'chat',
              role: 'assistant',
              content: [
                {
                  type: 'tool_use',
                  id: 't1',
                  name: 'Bash',
                  input: { cmd: `echo ${canaries.aws_access_key}` },
                },
              ],
              metadata: { contact: canaries.email },
              speaker: { name: canaries.email, role: 'customer' },
            },
          ],
        },
      });
      expect(response.statusCode).toBe(207);
      expect(existsSync(join(dir, 'agentlog.db-wal'))).toBe(true);
      const bytes = storedBytes(dir);
      for (const secret of [canaries.github_token, canaries.aws_access_key, canaries.email])
        expect(bytes.includes(secret), secret.slice(0, 12)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('keeps secrets when the project says off, and drops the message for drop-message', async () => {
    const off = tempDir();
    writeFileSync(
      join(off, 'config.json'),
      JSON.stringify({ redaction: { projects: { default: { policy: 'off' } } } }),
    );
    expect((await runCli(['--data-dir', off, 'import', 'claude', writeTranscript(off)])).code).toBe(0);
    expect(storedBytes(off)).toContain(canaries.github_token);

    const drop = tempDir();
    const result = await runCli(['--data-dir', drop, 'import', 'claude', writeTranscript(drop)], {
      AGENTLOG_REDACTION: 'drop-message',
    });
    expect(result.code, result.stderr).toBe(0);
    const bytes = storedBytes(drop);
    expect(bytes).toContain('[REDACTED:message]');
    for (const secret of secrets) expect(bytes.includes(secret), secret.slice(0, 12)).toBe(false);
  });

  it('through import worker threads, with the project policy they were sent', async () => {
    const dir = tempDir();
    const projects = writeTranscript(dir);
    // A second file, so that two lanes have work.
    const second = readFileSync(join(projects, '-work', `${sessionId}.jsonl`), 'utf8')
      .replaceAll(sessionId, 'b'.repeat(8))
      .replace(/"(u\d)"/g, '"second-$1"');
    writeFileSync(join(projects, '-work', 'bbbbbbbb.jsonl'), second);
    const config = loadConfig({
      flags: { dataDir: dir },
      env: { AGENTLOG_REDACTION: 'drop-message' },
      home: dir,
    });
    const agentlog = await createAgentlog(config);
    try {
      const summary = await importRun({
        store: agentlog.store,
        projectId: agentlog.project.id,
        format: claudeCode,
        paths: [projects],
        defaultRoots: [],
        workers: { count: 2, minBytes: 0 },
        pipeline: agentlog.ingestPipeline(),
      });
      expect(summary.newMessages).toBe(8);
    } finally {
      await agentlog.close();
    }
    const bytes = storedBytes(dir);
    expect(bytes).toContain('[REDACTED:message]');
    for (const secret of secrets) expect(bytes.includes(secret), secret.slice(0, 12)).toBe(false);
  });
});
