import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zstdCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { codexHomes, discoverCodexFiles } from '../../../src/sources/codex/paths.ts';
import { runCli, spawnCli } from '../../support/run-cli.ts';
import { ownFixtures } from '../../support/shared-fixtures.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { codexFixtures, importCodex, messagesOf, withStore } from './imported-store.ts';

const tempDir = useTempDirs();
const main = '019cadfd-8900-7aaa-8000-000000000001';
const mainName = `rollout-2026-03-02T11-00-00-${main}.jsonl`;
const mainFile = join(codexFixtures, 'home', 'sessions', '2026', '03', '02', mainName);
const archivedName = 'rollout-2026-02-20T09-00-00-019c7a10-1400-7e00-8000-000000000006.jsonl';

async function list(root: string): Promise<string[]> {
  const out: string[] = [];
  for await (const path of discoverCodexFiles(root)) out.push(path);
  return out;
}

/** A Codex home holding the given rollouts under sessions/2026/03/02. */
function homeWith(files: Record<string, Buffer>): string {
  const home = tempDir();
  const day = join(home, 'sessions', '2026', '03', '02');
  mkdirSync(day, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(day, name), bytes);
  return home;
}

describe('Codex: where rollouts are found', () => {
  it('reads CODEX_HOME as a comma-separated list, else ~/.codex', () => {
    expect(codexHomes({ home: '/h', vars: { CODEX_HOME: '/a, /b ,' } })).toEqual(['/a', '/b']);
    expect(codexHomes({ home: '/h', vars: {} })).toEqual(['/h/.codex']);
  });

  it('walks sessions/ then archived_sessions/, where an archived copy of an active thread is left out', async () => {
    const home = join(codexFixtures, 'home');
    const files = await list(home);
    expect(files).toHaveLength(5);
    expect(files.slice(0, 4).every((f) => f.includes('/sessions/'))).toBe(true);
    expect(files[4]).toBe(join(home, 'archived_sessions', archivedName));
  });

  it('walks any other directory as it is, and takes a file as itself', async () => {
    expect(await list(join(codexFixtures, 'odd'))).toEqual([
      join(codexFixtures, 'odd', 'saved-exec-run.jsonl'),
    ]);
    expect(await list(mainFile)).toEqual([mainFile]);
    expect(await list(join(codexFixtures, 'missing'))).toEqual([]);
  });

  it('reads a .jsonl.zst rollout like the plain one, and prefers the plain one when both exist', async () => {
    const plain = readFileSync(mainFile);
    const zstHome = homeWith({ [`${mainName}.zst`]: zstdCompressSync(plain) });
    const plainHome = homeWith({ [mainName]: plain });

    const fromZst = tempDir();
    expect(await importCodex(fromZst, [zstHome])).toMatchObject({
      files: 1,
      newMessages: 11,
      skippedLines: [],
    });
    const fromPlain = tempDir();
    await importCodex(fromPlain, [plainHome]);
    const shape = (dataDir: string) =>
      withStore(dataDir, async (agentlog) =>
        (await messagesOf(agentlog, main)).map((m) => [m.externalId, m.role, m.kind, m.text]),
      );
    expect(await shape(fromZst)).toEqual(await shape(fromPlain));

    // Both beside each other: only the plain file is listed; its messages are the ones already stored.
    copyFileSync(
      join(plainHome, 'sessions', '2026', '03', '02', mainName),
      join(zstHome, 'sessions', '2026', '03', '02', mainName),
    );
    expect((await list(zstHome)).map((f) => f.slice(zstHome.length))).toEqual([
      `/sessions/2026/03/02/${mainName}`,
    ]);
    expect(await importCodex(fromZst, [zstHome])).toMatchObject({ files: 1, messages: 11, newMessages: 0 });
  });

  it('imports from the homes CODEX_HOME names when no path is given', async () => {
    const first = homeWith({ [mainName]: readFileSync(mainFile) });
    const second = tempDir();
    mkdirSync(join(second, 'archived_sessions'));
    copyFileSync(
      join(codexFixtures, 'home', 'archived_sessions', archivedName),
      join(second, 'archived_sessions', archivedName),
    );
    const summary = await importCodex(tempDir(), [], { CODEX_HOME: `${first},${second}`, HOME: tempDir() });
    expect(summary).toMatchObject({
      source: 'codex',
      files: 2,
      sessions: 2,
      newMessages: 13,
      skippedFiles: [],
    });
  });

  it('imports from ~/.codex by default', async () => {
    const home = tempDir();
    const day = join(home, '.codex', 'sessions', '2026', '03', '02');
    mkdirSync(day, { recursive: true });
    copyFileSync(mainFile, join(day, mainName));
    expect(await importCodex(tempDir(), [], { HOME: home })).toMatchObject({
      files: 1,
      sessions: 1,
      newMessages: 11,
    });
  });

  it('prints the same JSON summary as the Claude import, from the real binary', async () => {
    const codex = await spawnCli([
      '--data-dir',
      tempDir(),
      'import',
      'codex',
      join(codexFixtures, 'odd'),
      '--json',
    ]);
    expect(codex.code).toBe(0);
    const summary = JSON.parse(codex.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ source: 'codex', files: 1, sessions: 1, newMessages: 2 });
    const claude = await runCli([
      '--data-dir',
      tempDir(),
      'import',
      'claude',
      join(ownFixtures, 'claude-code'),
      '--json',
    ]);
    expect(Object.keys(summary).sort()).toEqual(Object.keys(JSON.parse(claude.stdout) as object).sort());
  });
});
