import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UsageReport } from '../../src/analytics/usage-report.ts';
import type { Message } from '../../src/domain/message.ts';
import type { Session } from '../../src/domain/session.ts';
import type { ImportSummary } from '../../src/ingest/import-run.ts';
import { spawnCli, type CliResult } from '../support/run-cli.ts';
import { projectRoot } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { appendLines, turnLines, writeLines } from './claude-lines.ts';

const tempDir = useTempDirs();
const session = '4b8e1f2a-6c3d-4e5f-9a0b-1c2d3e4f5a6b';
const project = '-home-dev-shop';

/** The agentlog binary `npx agentlog` runs, spawned with nothing of this machine but PATH. */
function agentlog(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return spawnCli(args, { HOME: env.HOME ?? tempDir(), ...env });
}

function json<T>(run: CliResult): T {
  expect(run.stderr.replace(/^npm warn.*\n/gm, '')).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
}

type Sessions = { sessions: Session[] };

/** A projects directory with one two-turn session, a broken line, and a file that is no transcript. */
function projectsDir(): { projects: string; transcript: string; notTranscript: string } {
  const projects = join(tempDir(), 'projects');
  const transcript = join(projects, project, `${session}.jsonl`);
  writeLines(transcript, [
    ...turnLines(session, {
      prompt: 'Add a cart endpoint.',
      answer: 'The cart endpoint is in place.',
      at: '2026-04-01T21:30:00.000Z',
      outputTokens: 300,
    }),
    '{"type":"user","broken',
    ...turnLines(session, {
      prompt: 'Now the checkout.',
      answer: 'Checkout done.',
      at: '2026-04-01T23:30:00.000Z',
      outputTokens: 40,
    }),
  ]);
  const notTranscript = join(projects, project, 'notes.jsonl');
  writeFileSync(notTranscript, '{"sessionId":"x","projectHash":"y","messages":[]}\n');
  return { projects, transcript, notTranscript };
}

// Each test spawns Node several times: on a busy machine that takes a while.
describe('agentlog, spawned as `npx agentlog` runs it', { timeout: 180_000 }, () => {
  it('is the package bin', () => {
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(pkg.bin.agentlog).toBe('bin/agentlog.js');
  });

  it('imports a projects directory and reports every field of the summary', async () => {
    const { projects, transcript, notTranscript } = projectsDir();
    const dataDir = tempDir();
    const summary = json<ImportSummary>(
      await agentlog(['--data-dir', dataDir, 'import', 'claude', projects, '--json']),
    );
    expect(Object.keys(summary).sort()).toEqual(
      [
        'durationMs',
        'files',
        'filesSkipped',
        'filesUnchanged',
        'messages',
        'newMessages',
        'sessions',
        'skippedFiles',
        'skippedLines',
        'source',
      ].sort(),
    );
    expect(summary).toMatchObject({
      source: 'claude-code',
      files: 2,
      filesSkipped: 1,
      filesUnchanged: 0,
      sessions: 1,
      messages: 4,
      newMessages: 4,
      skippedLines: [{ file: transcript, line: 3, reason: expect.stringMatching(/^invalid JSON/) }],
      skippedFiles: [{ file: notTranscript, reason: expect.stringContaining('Gemini') }],
    });
    expect(summary.skippedLines[0]).toEqual({ file: transcript, line: 3, reason: expect.any(String) });
    expect(Number.isInteger(summary.durationMs) && summary.durationMs >= 0).toBe(true);
    expect(existsSync(join(dataDir, 'agentlog.db'))).toBe(true);
  });

  it('adds nothing when the files are unchanged, and reads only appended lines', async () => {
    const { projects, transcript } = projectsDir();
    const dataDir = tempDir();
    json<ImportSummary>(await agentlog(['--data-dir', dataDir, 'import', 'claude', projects, '--json']));
    const again = json<ImportSummary>(
      await agentlog(['--data-dir', dataDir, 'import', 'claude', projects, '--json']),
    );
    expect(again).toMatchObject({ filesUnchanged: 1, messages: 0, newMessages: 0, skippedLines: [] });

    appendLines(transcript, [
      ...turnLines(session, {
        prompt: 'And tests.',
        answer: 'Tests added.',
        at: '2026-04-02T08:00:00.000Z',
        outputTokens: 5,
      }),
      ...turnLines(session, {
        prompt: 'Ship it.',
        answer: 'Shipped.',
        at: '2026-04-02T09:00:00.000Z',
        outputTokens: 6,
      }),
    ]);
    const appended = json<ImportSummary>(
      await agentlog(['--data-dir', dataDir, 'import', 'claude', projects, '--json']),
    );
    // Only the four new lines are read: the broken line 3 is not reported again.
    expect(appended).toMatchObject({
      filesUnchanged: 0,
      sessions: 1,
      messages: 4,
      newMessages: 4,
      skippedLines: [],
    });
    const list = json<Sessions>(await agentlog(['--data-dir', dataDir, 'sessions', 'list', '--json']));
    expect(list.sessions[0]?.messageCount).toBe(8);
  });

  it('lists and shows sessions', async () => {
    const { projects } = projectsDir();
    const dataDir = tempDir();
    json<ImportSummary>(await agentlog(['--data-dir', dataDir, 'import', 'claude', projects, '--json']));
    const { sessions } = json<Sessions>(
      await agentlog(['--data-dir', dataDir, 'sessions', 'list', '--json']),
    );
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      externalId: session,
      source: 'claude-code',
      title: 'Add a cart endpoint.',
      messageCount: 4,
      cwd: '/home/dev/shop',
      models: ['claude-sonnet-4-5-20250929'],
      startedAt: Date.parse('2026-04-01T21:30:00.000Z'),
      endedAt: Date.parse('2026-04-01T23:30:02.000Z'),
    });
    const id = sessions[0]!.id;

    const shown = json<{ session: Session; messages: Message[] }>(
      await agentlog(['--data-dir', dataDir, 'sessions', 'show', id, '--format', 'json']),
    );
    expect(shown.session.id).toBe(id);
    expect(shown.messages.map((m) => [m.role, m.text])).toEqual([
      ['user', 'Add a cart endpoint.'],
      ['assistant', 'The cart endpoint is in place.'],
      ['user', 'Now the checkout.'],
      ['assistant', 'Checkout done.'],
    ]);
    // The source's own session id, or a prefix of it, names the session too.
    const markdown = await agentlog([
      '--data-dir',
      dataDir,
      'sessions',
      'show',
      session.slice(0, 8),
      '--format',
      'markdown',
    ]);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toContain('Add a cart endpoint.');
    expect(markdown.stdout).toContain('Checkout done.');
    expect(markdown.stdout.indexOf('Add a cart endpoint.')).toBeLessThan(
      markdown.stdout.indexOf('Checkout done.'),
    );
  });

  it('reports usage by day in a time zone, by model and by session', async () => {
    const { projects } = projectsDir();
    const dataDir = tempDir();
    json<ImportSummary>(await agentlog(['--data-dir', dataDir, 'import', 'claude', projects, '--json']));
    const usage = (by: string, timezone: string) =>
      agentlog(['--data-dir', dataDir, 'stats', 'usage', '--by', by, '--timezone', timezone, '--json']).then(
        (run) => json<UsageReport>(run),
      );
    const totals = {
      inputTokens: 8,
      outputTokens: 340,
      cacheCreationTokens: 200,
      cacheReadTokens: 2000,
      totalTokens: 2548,
    };
    const row = (key: string, out: number, responses: number) => ({
      key,
      inputTokens: 4 * responses,
      outputTokens: out,
      cacheCreationTokens: 100 * responses,
      cacheReadTokens: 1000 * responses,
      totalTokens: 4 * responses + out + 1100 * responses,
      responses,
    });

    expect(await usage('day', 'UTC')).toEqual({
      by: 'day',
      timezone: 'UTC',
      totals,
      rows: [row('2026-04-01', 340, 2)],
    });
    // 23:30 UTC is already the next day in Paris (UTC+2 in April).
    expect(await usage('day', 'Europe/Paris')).toEqual({
      by: 'day',
      timezone: 'Europe/Paris',
      totals,
      rows: [row('2026-04-01', 300, 1), row('2026-04-02', 40, 1)],
    });
    expect(await usage('model', 'UTC')).toMatchObject({
      by: 'model',
      totals,
      rows: [row('claude-sonnet-4-5-20250929', 340, 2)],
    });
    const bySession = await usage('session', 'UTC');
    const { sessions } = json<Sessions>(
      await agentlog(['--data-dir', dataDir, 'sessions', 'list', '--json']),
    );
    expect(bySession).toMatchObject({ by: 'session', totals, rows: [row(sessions[0]!.id, 340, 2)] });
  });

  it('honours --data-dir over AGENTLOG_HOME, and AGENTLOG_HOME without it', async () => {
    const { projects } = projectsDir();
    const home = tempDir();
    const envStore = tempDir();
    const flagStore = tempDir();
    const env = { HOME: home, AGENTLOG_HOME: envStore };
    json<ImportSummary>(await agentlog(['import', 'claude', projects, '--json'], env));
    expect(existsSync(join(envStore, 'agentlog.db'))).toBe(true);
    expect(json<Sessions>(await agentlog(['sessions', 'list', '--json'], env)).sessions).toHaveLength(1);
    expect(
      json<Sessions>(await agentlog(['--data-dir', flagStore, 'sessions', 'list', '--json'], env)).sessions,
    ).toHaveLength(0);
    expect(existsSync(join(flagStore, 'agentlog.db'))).toBe(true);
    // Without either, the store lives in ~/.agentlog.
    json<ImportSummary>(await agentlog(['import', 'claude', projects, '--json'], { HOME: home }));
    expect(existsSync(join(home, '.agentlog', 'agentlog.db'))).toBe(true);
  });

  it('imports from $CLAUDE_CONFIG_DIR/projects, else from ~/.claude/projects, when no path is given', async () => {
    const { projects } = projectsDir();
    const configDir = join(projects, '..');
    const fromEnv = json<ImportSummary>(
      await agentlog(['--data-dir', tempDir(), 'import', 'claude', '--json'], {
        CLAUDE_CONFIG_DIR: configDir,
      }),
    );
    expect(fromEnv).toMatchObject({ files: 2, sessions: 1, newMessages: 4 });

    const home = tempDir();
    const { transcript } = projectsDir();
    const inHome = join(home, '.claude', 'projects', project);
    mkdirSync(inHome, { recursive: true });
    writeFileSync(join(inHome, `${session}.jsonl`), readFileSync(transcript));
    const fromHome = json<ImportSummary>(
      await agentlog(['--data-dir', tempDir(), 'import', 'claude', '--json'], { HOME: home }),
    );
    expect(fromHome).toMatchObject({ files: 1, sessions: 1, newMessages: 4 });
    // An empty home has nothing to import, and says so without failing.
    const empty = json<ImportSummary>(
      await agentlog(['--data-dir', tempDir(), 'import', 'claude', '--json'], { HOME: tempDir() }),
    );
    expect(empty).toMatchObject({ files: 0, messages: 0 });
  });

  it('prints help', async () => {
    const top = await agentlog(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^Usage: agentlog /);
    for (const command of ['import', 'sessions', 'stats']) expect(top.stdout).toContain(`\n  ${command}`);
    const importHelp = await agentlog(['import', '--help']);
    expect(importHelp.code).toBe(0);
    expect(importHelp.stdout).toContain('npx agentlog import claude');
    const usageHelp = await agentlog(['stats', 'usage', '--help']);
    expect(usageHelp.stdout).toContain('--timezone <tz>');
    expect(usageHelp.stdout).toContain('--by <group>');
  });

  describe('fails clearly, with a non-zero exit code', () => {
    const cases: [string, (dir: string) => string[], number, RegExp][] = [
      [
        'an unknown source',
        () => ['import', 'nosuchagent', '--json'],
        2,
        /Unknown source "nosuchagent"[\s\S]*Known sources: .*claude/,
      ],
      [
        'a missing path',
        (d) => ['import', 'claude', join(d, 'nowhere'), '--json'],
        2,
        /No such file or directory: .*nowhere/,
      ],
      [
        'an unknown session',
        () => ['sessions', 'show', 'ses_nosuchsession'],
        3,
        /No session matches "ses_nosuchsession"[\s\S]*sessions list/,
      ],
      [
        'a bad --by',
        () => ['stats', 'usage', '--by', 'week', '--json'],
        2,
        /--by takes day, model or session, not "week"/,
      ],
      [
        'a bad --timezone',
        () => ['stats', 'usage', '--timezone', 'Mars/Olympus_Mons', '--json'],
        2,
        /Unknown time zone "Mars\/Olympus_Mons"[\s\S]*IANA/,
      ],
    ];
    for (const [name, args, code, message] of cases) {
      it(name, async () => {
        const dir = tempDir();
        const run = await agentlog(['--data-dir', dir, ...args(dir)]);
        expect(run.code).toBe(code);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(message);
        expect(run.stderr).not.toContain('    at ');
      });
    }
  });
});
