import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../src/sources/auto/detect-format.ts';
import { sourceFormats } from '../../../src/sources/registry.ts';
import type { SourceFormat } from '../../../src/sources/source-format.ts';
import { runCli } from '../../support/run-cli.ts';
import {
  hasSharedFixtures,
  ownFixtures,
  sharedSkipReason,
  sharedTranscripts,
} from '../../support/shared-fixtures.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { importWith } from '../chat-imports.ts';

const tempDir = useTempDirs();
const deliberatelyOdd = /[/\\](bad|broken|misnamed|odd)([/\\.-])/;

/**
 * One sample file per registered format, from that format's own fixtures (test/fixtures/<name>/):
 * the first file it discovers there that detection gives to it, preferring files that are not
 * deliberately broken. New formats join these tests by registering and bringing fixtures.
 */
async function sampleOf(format: SourceFormat): Promise<string | undefined> {
  const root = join(ownFixtures, format.name);
  if (!existsSync(root)) return undefined;
  const files: string[] = [];
  for await (const file of format.discover(root)) files.push(file);
  files.sort((a, b) => Number(deliberatelyOdd.test(a)) - Number(deliberatelyOdd.test(b)));
  return files.find((file) => detectFormat(headOf(file), sourceFormats).format === format);
}

function headOf(path: string) {
  const text = readFileSync(path, 'utf8');
  return { path, text: text.slice(0, 64 * 1024), complete: text.length <= 64 * 1024 };
}

const samples = new Map<string, string>();
for (const format of sourceFormats) {
  const sample = await sampleOf(format);
  if (sample !== undefined) samples.set(format.name, sample);
}

describe('format detection by content', () => {
  for (const format of sourceFormats) {
    const sample = samples.get(format.name);
    it.skipIf(sample === undefined)(
      `${format.name}: its sample is claimed by it and declined by every other format${sample === undefined ? ` (skipped: no sample under test/fixtures/${format.name})` : ''}`,
      () => {
        const head = headOf(sample!);
        const claims = sourceFormats.filter((f) => (f.formatFor?.(head) ?? f).detect(head).ok);
        expect(claims.map((f) => f.name)).toEqual([format.name]);
      },
    );
  }
});

describe('import auto', () => {
  /** A directory holding one sample of every format (each in its own layout) and files of no format. */
  function mixedDirectory(): string {
    const mix = join(tempDir(), 'mix');
    for (const [name, sample] of samples) {
      const to = join(mix, name, relative(join(ownFixtures, name), sample));
      mkdirSync(dirname(to), { recursive: true });
      cpSync(sample, to);
    }
    writeFileSync(join(mix, 'junk.json'), 'hello, this is not JSON\n');
    mkdirSync(join(mix, 'notes'));
    writeFileSync(join(mix, 'notes', 'unknown.jsonl'), '{"hello":"world"}\n');
    writeFileSync(join(mix, 'empty.json'), '');
    writeFileSync(join(mix, 'picture.png'), 'not looked at: not JSON');
    writeFileSync(join(mix, '.hidden.json'), 'not looked at: hidden');
    // Claude Code's sidecar of a sub-agent: read with its transcript, never reported on its own.
    mkdirSync(join(mix, 'session', 'subagents'), { recursive: true });
    writeFileSync(join(mix, 'session', 'subagents', 'agent-a1.meta.json'), '{"agentType":"Explore"}');
    return mix;
  }

  it('imports every format found in a mixed directory and names each file no format claims', async () => {
    const mix = mixedDirectory();
    const data = tempDir();
    const summary = await importWith(data, 'auto', [mix]);
    expect(summary.source).toBe('auto');
    expect(summary.detected).toEqual(Object.fromEntries([...samples.keys()].map((name) => [name, 1])));
    expect(summary.files).toBe(samples.size + 3);
    expect(summary.newMessages).toBeGreaterThanOrEqual(samples.size);
    const skipped = [...summary.skippedFiles].sort((a, b) => a.file.localeCompare(b.file));
    expect(skipped).toEqual([
      { file: join(mix, 'empty.json'), reason: 'empty file' },
      { file: join(mix, 'junk.json'), reason: expect.stringMatching(/^not a transcript of a known format/) },
      { file: join(mix, 'notes', 'unknown.jsonl'), reason: expect.stringMatching(/^not a transcript/) },
    ]);
    // The reason says what every registered format saw.
    for (const format of sourceFormats) expect(skipped[1]!.reason).toContain(`${format.name}: `);

    const again = await importWith(data, 'auto', [mix]);
    expect(again).toMatchObject({ newMessages: 0, filesUnchanged: samples.size });
  });

  it('tries a file given by name whatever its extension', async () => {
    const notes = join(tempDir(), 'notes.txt');
    writeFileSync(notes, 'just notes\n');
    const summary = await importWith(tempDir(), 'auto', [notes]);
    expect(summary.skippedFiles).toEqual([
      { file: notes, reason: expect.stringMatching(/^not a transcript/) },
    ]);
  });

  it('needs paths, and says so', async () => {
    const noPaths = await runCli(['--data-dir', tempDir(), 'import', 'auto']);
    expect(noPaths.code).toBe(2);
    expect(noPaths.stderr).toContain('"auto" has no default location');
    const missing = await runCli([
      '--data-dir',
      tempDir(),
      'import',
      'auto',
      join(tempDir(), 'nothing-here'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No such file or directory');
  });
});

describe.skipIf(!hasSharedFixtures)(
  `import auto on the shared real transcripts${hasSharedFixtures ? '' : ` (skipped: ${sharedSkipReason})`}`,
  () => {
    it('reads each file as its own source would, and claims nothing twice', async () => {
      const summary = await importWith(tempDir(), 'auto', [sharedTranscripts]);
      expect(summary.detected).toEqual({ 'claude-code': 7, codex: 2, gemini: 3 });
      expect(summary.skippedFiles).toEqual([]);
      let messages = 0;
      const bySource = tempDir();
      for (const [source, dir] of [
        ['claude', 'claude-code'],
        ['codex', 'codex'],
        ['gemini', 'gemini'],
      ] as const)
        messages += (await importWith(bySource, source, [join(sharedTranscripts, dir)])).newMessages;
      expect(summary.newMessages).toBe(messages);
    });
  },
);

describe('import without a default location', () => {
  it('asks for paths for an export or chat-log source', async () => {
    for (const source of ['chatgpt', 'openai', 'sharegpt']) {
      const result = await runCli(['--data-dir', tempDir(), 'import', source]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`"${source}" has no default location: give the files to import.`);
    }
  });

  it('leaves them out of `import` with no source, which reads only the agents at their default locations', async () => {
    const home = tempDir();
    const result = await runCli(['--data-dir', join(home, 'data'), 'import', '--json'], { HOME: home });
    expect(result.code).toBe(0);
    const { sources } = JSON.parse(result.stdout) as { sources: { source: string }[] };
    const withDefaults = sourceFormats.filter(
      (f) => f.defaultRoots({ home, vars: { HOME: home } }).length > 0,
    );
    expect(sources.map((s) => s.source)).toEqual(withDefaults.map((f) => f.name));
    expect(sources.map((s) => s.source)).not.toContain('chatgpt');
  });
});
