import { appendFileSync, mkdirSync, renameSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { WatchEvent } from '../../src/capture/watch-events.ts';
import { runCli } from '../support/run-cli.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { claudeSessionLines } from './claude-lines.ts';
import { startWatch, type WatchProcess } from './cli-process.ts';
import { storeSnapshot } from './store-snapshot.ts';

const tempDir = useTempDirs();

const sessionA = '5a1e0000-1111-4222-8333-444455556666';
const sessionB = '5b2f0000-1111-4222-8333-444455556666';
const sessionC = '5c3a0000-1111-4222-8333-444455556666';

function imported(events: WatchEvent[]) {
  return events.filter((e) => e.event === 'imported');
}

function newMessages(events: WatchEvent[]): number {
  return imported(events).reduce((sum, e) => sum + e.newMessages, 0);
}

function problems(events: WatchEvent[]) {
  return [
    ...events.filter((e) => e.event === 'error' || e.event === 'skipped'),
    ...imported(events).flatMap((e) => e.skippedLines),
  ];
}

function waitForMessages(watch: WatchProcess, count: number) {
  return watch.waitFor(() => newMessages(watch.events) >= count, `${count} new messages`);
}

/** Writes lines as an agent does: one append per line, a moment apart. */
async function appendLines(file: string, lines: string[]) {
  for (const line of lines) {
    appendFileSync(file, `${line}\n`);
    await sleep(20);
  }
}

async function oneShotImport(home: string, root: string): Promise<string> {
  const dataDir = join(home, 'one-shot');
  const result = await runCli(['--data-dir', dataDir, 'import', 'claude', root, '--json'], { HOME: home });
  expect(result.code).toBe(0);
  return dataDir;
}

describe('agentlog watch', () => {
  it('stores a transcript written line by line, a partial line included, as a one-shot import does; SIGTERM exits 0', async () => {
    const home = tempDir();
    const dataDir = join(home, 'data');
    const root = join(home, 'live');
    mkdirSync(root);
    // A rescan period longer than the test: fs events alone must do.
    const watch = startWatch(['--data-dir', dataDir, 'watch', root, '--json', '--interval', '600'], {
      HOME: home,
    });
    await watch.waitFor((e) => e.event === 'watching', 'watching');

    // The project directory appears after watch started, as it does for a new project.
    mkdirSync(join(root, '-tmp-live'));
    const file = join(root, '-tmp-live', `${sessionA}.jsonl`);
    const lines = claudeSessionLines(sessionA, 4);
    await appendLines(file, lines.slice(0, 5));
    await waitForMessages(watch, 5);

    // A line flushed in two writes: the first half must wait for the second.
    const partial = lines[5]!;
    const cut = Math.floor(partial.length / 2);
    appendFileSync(file, partial.slice(0, cut));
    await sleep(400);
    expect(newMessages(watch.events)).toBe(5);
    appendFileSync(file, `${partial.slice(cut)}\n`);
    await waitForMessages(watch, 6);
    expect(imported(watch.events).at(-1)).toMatchObject({ messages: 1, newMessages: 1 });

    await appendLines(file, lines.slice(6));
    await waitForMessages(watch, lines.length);
    expect(await watch.stop('SIGTERM')).toBe(0);
    expect(watch.events.at(-1)).toMatchObject({ event: 'stopped', newMessages: lines.length });
    expect(problems(watch.events)).toEqual([]);

    const oneShot = await oneShotImport(home, root);
    expect(await storeSnapshot(dataDir)).toEqual(await storeSnapshot(oneShot));
  });

  it('resumes after a restart from the stored offsets: nothing read twice, nothing stored twice', async () => {
    const home = tempDir();
    const dataDir = join(home, 'data');
    const root = join(home, 'live');
    mkdirSync(join(root, '-tmp-live'), { recursive: true });
    const file = join(root, '-tmp-live', `${sessionA}.jsonl`);
    const lines = claudeSessionLines(sessionA, 8);
    const args = ['--data-dir', dataDir, 'watch', root, '--json', '--interval', '1'];

    const first = startWatch(args, { HOME: home });
    await first.waitFor((e) => e.event === 'watching', 'watching');
    await appendLines(file, lines.slice(0, 6));
    await waitForMessages(first, 6);
    expect(await first.stop('SIGINT')).toBe(0);

    // Written while nobody watched.
    await appendLines(file, lines.slice(6, 12));

    const second = startWatch(args, { HOME: home });
    await waitForMessages(second, 6);
    await appendLines(file, lines.slice(12));
    await waitForMessages(second, 10);
    expect(await second.stop('SIGTERM')).toBe(0);

    // The second run read only the lines written after the first stopped.
    expect(imported(second.events).reduce((sum, e) => sum + e.messages, 0)).toBe(10);
    expect(problems([...first.events, ...second.events])).toEqual([]);
    const oneShot = await oneShotImport(home, root);
    const live = await storeSnapshot(dataDir);
    expect(live.counts.messages).toBe(lines.length);
    expect(live).toEqual(await storeSnapshot(oneShot));
  });

  it('reads a file replaced or truncated while watched from its start, keeping what was stored', async () => {
    const home = tempDir();
    const dataDir = join(home, 'data');
    const root = join(home, 'live');
    mkdirSync(join(root, '-tmp-live'), { recursive: true });
    const file = join(root, '-tmp-live', 'rotating.jsonl');
    const watch = startWatch(['--data-dir', dataDir, 'watch', root, '--json', '--interval', '1'], {
      HOME: home,
    });
    await watch.waitFor((e) => e.event === 'watching', 'watching');

    const a = claudeSessionLines(sessionA, 3);
    await appendLines(file, a);
    await waitForMessages(watch, 6);

    // Replaced: a new file renamed over the old one.
    const b = claudeSessionLines(sessionB, 2);
    writeFileSync(`${file}.tmp`, `${b.join('\n')}\n`);
    renameSync(`${file}.tmp`, file);
    await waitForMessages(watch, 10);

    // Truncated, then written again.
    truncateSync(file, 0);
    await sleep(200);
    const c = claudeSessionLines(sessionC, 2);
    await appendLines(file, c);
    await waitForMessages(watch, 14);
    expect(await watch.stop('SIGTERM')).toBe(0);
    expect(problems(watch.events)).toEqual([]);

    // The same as importing the three versions of the file one after another.
    const versions = join(home, 'versions');
    for (const [name, lines] of [
      ['a', a],
      ['b', b],
      ['c', c],
    ] as const) {
      mkdirSync(join(versions, name), { recursive: true });
      writeFileSync(join(versions, name, 'rotating.jsonl'), `${lines.join('\n')}\n`);
    }
    const oneShot = await oneShotImport(home, versions);
    const live = await storeSnapshot(dataDir);
    expect(live.counts.messages).toBe(14);
    expect(live.sessions).toEqual((await storeSnapshot(oneShot)).sessions);
  });

  it('follows a single transcript file given as the path, through fs events alone', async () => {
    const home = tempDir();
    const dataDir = join(home, 'data');
    const file = join(home, `${sessionC}.jsonl`);
    const lines = claudeSessionLines(sessionC, 3);
    writeFileSync(file, `${lines[0]}\n`);
    const watch = startWatch(['--data-dir', dataDir, 'watch', file, '--json', '--interval', '600'], {
      HOME: home,
    });
    await waitForMessages(watch, 1);
    await appendLines(file, lines.slice(1));
    await waitForMessages(watch, lines.length);
    expect(await watch.stop('SIGTERM')).toBe(0);
    expect(problems(watch.events)).toEqual([]);
  });

  it("follows an agent's default location that only appears after watch started", async () => {
    const home = tempDir();
    const dataDir = join(home, 'data');
    const watch = startWatch(['--data-dir', dataDir, 'watch', '--json', '--interval', '0.5'], { HOME: home });
    const started = await watch.waitFor((e) => e.event === 'watching', 'watching');
    const claudeRoot = join(home, '.claude', 'projects');
    expect(started).toMatchObject({
      roots: expect.arrayContaining([{ root: claudeRoot, sources: ['claude-code'], exists: false }]),
    });

    mkdirSync(join(claudeRoot, '-tmp-later'), { recursive: true });
    await appendLines(join(claudeRoot, '-tmp-later', `${sessionB}.jsonl`), claudeSessionLines(sessionB, 2));
    await waitForMessages(watch, 4);
    expect(await watch.stop('SIGTERM')).toBe(0);
    expect(problems(watch.events)).toEqual([]);
  });
});

describe('agentlog watch and the session lifecycle', () => {
  it('makes a transcript being written an active session, stops it when idle and completes it; an old file stays imported', async () => {
    const home = tempDir();
    const dataDir = join(home, 'data');
    const root = join(home, 'live');
    mkdirSync(join(root, '-tmp-old'), { recursive: true });
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ server: { inactivitySeconds: 1 } }));
    // Written long ago: found by the first rescan, but nothing live about it.
    const old = join(root, '-tmp-old', `${sessionC}.jsonl`);
    writeFileSync(old, `${claudeSessionLines(sessionC, 1).join('\n')}\n`);
    utimesSync(old, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    const watch = startWatch(['--data-dir', dataDir, 'watch', root, '--json', '--interval', '600'], {
      HOME: home,
    });
    await watch.waitFor((e) => e.event === 'watching', 'watching');
    mkdirSync(join(root, '-tmp-live'));
    await appendLines(join(root, '-tmp-live', `${sessionA}.jsonl`), claudeSessionLines(sessionA, 2));
    await waitForMessages(watch, 6);

    const status = await waitForStatus(dataDir, sessionA, 'completed');
    expect(await watch.stop('SIGTERM')).toBe(0);
    expect(problems(watch.events)).toEqual([]);
    expect(status.transitions.map((t) => `${t.from}→${t.to}`)).toEqual([
      'imported→active',
      'active→stopped',
      'stopped→processing',
      'processing→completed',
    ]);
    expect(status.transitions[0]!.reason).toBe('live capture: transcript written (watch)');
    expect(status.transitions[1]!.reason).toMatch(/^inactive: no message for 1 s/);
    expect((await sessionState(dataDir, sessionC)).session.status).toBe('imported');
  });
});

async function sessionState(dataDir: string, externalId: string) {
  const shown = await runCli(['--data-dir', dataDir, 'sessions', 'show', externalId, '--format', 'json']);
  expect(shown.code).toBe(0);
  return JSON.parse(shown.stdout) as {
    session: { status: string };
    transitions: { from: string; to: string; reason: string }[];
  };
}

/** Polls until the session reaches `status` (the watcher's job runtime works on its own time). */
async function waitForStatus(dataDir: string, externalId: string, status: string) {
  for (let attempt = 0; ; attempt++) {
    const state = await sessionState(dataDir, externalId);
    if (state.session.status === status || attempt === 60) return state;
    await sleep(250);
  }
}
