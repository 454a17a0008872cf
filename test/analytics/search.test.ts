import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { searchMessages } from '../../src/analytics/search.ts';
import { searchResponseSchema } from '../../src/analytics/search-contract.ts';
import { makeSnippet, searchTerms } from '../../src/analytics/snippet.ts';
import { toFtsQuery } from '../../src/storage/sqlite/search-queries.ts';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';
import { runCli } from '../support/run-cli.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { ingest, writeBare } from './seed.ts';

const t0 = Date.UTC(2025, 2, 1, 12);
const hour = 3_600_000;

async function seeded(dir: string) {
  const store = new SqliteStore(join(dir, 'agentlog.db'));
  const project = await store.ensureProject('default');
  await ingest(store, project.id, 'api', [
    {
      session: 's1',
      id: 'a1',
      role: 'user',
      speaker: 'alice',
      text: 'How do I export the archive to Parquet?',
      timestamp: t0,
    },
    {
      session: 's1',
      id: 'a2',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      text: 'Use agentlog export with --format parquet.',
      timestamp: t0 + hour,
    },
    {
      session: 's2',
      id: 'b1',
      role: 'user',
      speaker: 'bob',
      text: 'Retention policy: keep thirty days hot.',
      timestamp: t0 + 48 * hour,
    },
    {
      session: 's2',
      id: 'b2',
      role: 'assistant',
      text: 'The retention job deletes archived messages only.',
      timestamp: t0 + 49 * hour,
    },
  ]);
  await writeBare(store, project.id, 'codex', [
    {
      session: 'c1',
      id: 'c1',
      role: 'user',
      text: 'parquet files for the retention archive "quoted" (AND) OR NOT',
      timestamp: t0 + 72 * hour,
    },
  ]);
  return { store, project };
}

describe('toFtsQuery', () => {
  it('quotes every word so user text is never query syntax', () => {
    expect(toFtsQuery('hello world')).toBe('"hello" "world"');
    expect(toFtsQuery('say "hi" AND (x OR y)')).toBe('"say" """hi""" "AND" "(x" "OR" "y)"');
    expect(toFtsQuery('retent* polic*')).toBe('"retent"* "polic"*');
    expect(toFtsQuery('   ')).toBeNull();
    expect(toFtsQuery('*** --- !!')).toBeNull();
  });
});

describe('snippets', () => {
  const words = (r: { snippet: string; highlights: [number, number][] }) =>
    r.highlights.map(([start, end]) => r.snippet.slice(start, end));

  it('cuts about 16 words around the first match and marks every matching word', () => {
    const text = `${'lead '.repeat(30)}we export the   Parquet\n\narchive; parquet again ${'tail '.repeat(30)}`;
    const cut = makeSnippet(text, searchTerms('parquet export'));
    expect(cut.snippet.startsWith('…')).toBe(true);
    expect(cut.snippet.endsWith('…')).toBe(true);
    expect(cut.snippet).toContain('we export the Parquet archive; parquet again');
    expect(words(cut)).toEqual(['export', 'Parquet', 'parquet']);
  });

  it('matches as the index does: case, accents, prefixes, punctuation inside words', () => {
    expect(words(makeSnippet('Café config, configuration; CONF', searchTerms('cafe conf*')))).toEqual([
      'Café',
      'config',
      'configuration',
      'CONF',
    ]);
    expect(words(makeSnippet('see foo-bar here', searchTerms('"foo-bar"')))).toEqual(['foo', 'bar']);
    expect(makeSnippet('short text', searchTerms('absent'))).toEqual({
      snippet: 'short text',
      highlights: [],
    });
  });
});

describe('searchMessages', () => {
  const tempDir = useTempDirs();

  it('finds messages holding all the words, with snippets and highlights', async () => {
    const { store, project } = await seeded(tempDir());
    const { results } = await searchMessages(store, project.id, { text: 'parquet export' });
    expect(results.map((r) => r.messageId).length).toBe(2);
    const first = results.find((r) => r.speaker === 'alice')!;
    expect(first.role).toBe('user');
    expect(first.source).toBe('api');
    expect(first.timestamp).toBe(t0);
    const words = first.highlights.map(([s, e]) => first.snippet.slice(s, e).toLowerCase());
    expect(words.sort()).toEqual(['export', 'parquet']);
    expect(searchResponseSchema.parse({ results })).toEqual({ results });
    await store.close();
  });

  it('never fails on query syntax: quotes, operators, stray symbols, empty queries', async () => {
    const { store, project } = await seeded(tempDir());
    for (const text of [
      '"quoted"',
      '(AND) OR NOT',
      'NEAR(a b)',
      'col:parquet',
      '-',
      '""',
      '*',
      'a"b',
      '^parquet',
    ]) {
      const { results } = await searchMessages(store, project.id, { text });
      expect(Array.isArray(results)).toBe(true);
    }
    const quoted = await searchMessages(store, project.id, { text: '"quoted" (AND) OR NOT' });
    expect(quoted.results.map((r) => r.source)).toEqual(['codex']);
    await store.close();
  });

  it('filters by source, speaker (name, or role without one), time and prefix', async () => {
    const { store, project } = await seeded(tempDir());
    const ids = async (options: Parameters<typeof searchMessages>[2]) =>
      (await searchMessages(store, project.id, options)).results.map((r) => r.sessionId).sort();
    const retention = { text: 'retention' };
    expect((await ids(retention)).length).toBe(3);
    expect(await ids({ ...retention, source: 'codex' })).toHaveLength(1);
    expect(await ids({ text: 'retent*', speaker: 'bob' })).toHaveLength(1);
    expect(await ids({ ...retention, speaker: 'assistant' })).toHaveLength(1);
    expect(await ids({ ...retention, since: t0 + 49 * hour })).toHaveLength(2);
    expect(await ids({ ...retention, since: t0 + 49 * hour, until: t0 + 50 * hour })).toHaveLength(1);
    expect(await ids({ ...retention, domain: 'no_such_domain' })).toEqual([]);
    await store.close();
  });

  it('finds the same messages when a selective speaker is read first as when every match is', async () => {
    const store = new SqliteStore(join(tempDir(), 'agentlog.db'));
    const project = await store.ensureProject('default');
    const words = ['deploy prod', 'deploy staging', 'café crème', 'foo-bar deploy', 'DEPLOY Production now'];
    await writeBare(
      store,
      project.id,
      'api',
      Array.from({ length: 400 }, (_, i) => ({
        session: `s${i % 7}`,
        id: `m${i}`,
        role: 'user' as const,
        // alice: a few; carol: more than one page read (100); bob: most, so the join is used.
        speaker: i % 15 === 0 ? 'alice' : i % 3 === 0 ? 'carol' : 'bob',
        text: `${words[i % words.length]} ${i}`,
        timestamp: t0 + i * hour,
      })),
    );
    for (const text of ['deploy', 'prod*', 'deploy prod*', 'cafe', 'foo-bar', 'production now', 'nothing']) {
      const all = await searchMessages(store, project.id, { text, order: 'recent', limit: 500 });
      for (const speaker of ['alice', 'carol', 'bob']) {
        const expected = all.results.filter((r) => r.speaker === speaker).map((r) => r.messageId);
        for (const order of ['recent', 'relevance'] as const) {
          const got = await searchMessages(store, project.id, { text, speaker, order, limit: 500 });
          expect(got.results.map((r) => r.messageId).sort(), `${text} by ${speaker}`).toEqual(
            [...expected].sort(),
          );
        }
      }
    }
    await store.close();
  });

  it('puts the best match first by relevance, the newest first by recency', async () => {
    const store = new SqliteStore(join(tempDir(), 'agentlog.db'));
    const project = await store.ensureProject('default');
    const filler = 'a long message that mentions many other things besides the word we want to find here';
    await writeBare(store, project.id, 'api', [
      { session: 's', id: 'best', role: 'user', text: 'rollback rollback rollback', timestamp: t0 },
      { session: 's', id: 'mid', role: 'user', text: `rollback once, ${filler}`, timestamp: t0 + hour },
      {
        session: 's',
        id: 'new',
        role: 'user',
        text: `${filler}, ${filler}, rollback`,
        timestamp: t0 + 2 * hour,
      },
    ]);
    // Ids follow the writes: best, mid, new.
    const ids = async (order: 'relevance' | 'recent') =>
      (await searchMessages(store, project.id, { text: 'rollback', order })).results.map((r) => r.messageId);
    const [best, mid, newest] = await ids('recent').then((r) => [...r].reverse());
    expect(await ids('relevance')).toEqual([best, mid, newest]);
    expect(await ids('recent')).toEqual([newest, mid, best]);
    await store.close();
  });

  it('masks secrets a store kept with redaction off still holds, and still finds them', async () => {
    const store = new SqliteStore(join(tempDir(), 'agentlog.db'));
    const project = await store.ensureProject('default');
    const key = 'AKIAZ2QWERTY3ASDFGHJ';
    // Written around the ingest pipeline, as a store kept with redaction off would hold it.
    await writeBare(store, project.id, 'api', [
      { session: 's', id: 'k', role: 'user', text: `deploy with key ${key} please`, timestamp: t0 },
    ]);
    for (const text of ['deploy', key]) {
      const { results } = await searchMessages(store, project.id, { text });
      expect(results).toHaveLength(1);
      expect(results[0]!.snippet).toMatch(/^deploy with key \[REDACTED:[a-z_-]+\] please$/);
      expect(JSON.stringify(results)).not.toContain(key);
    }
    await store.close();
  });

  it('orders by recency when asked, and keeps to the limit', async () => {
    const { store, project } = await seeded(tempDir());
    const recent = await searchMessages(store, project.id, { text: 'retention', order: 'recent', limit: 2 });
    expect(recent.results).toHaveLength(2);
    expect(recent.results[0]!.source).toBe('codex');
    await expect(searchMessages(store, project.id, { text: 'x', limit: 0 })).rejects.toThrow(/limit/);
    await store.close();
  });
});

describe('agentlog search', () => {
  const tempDir = useTempDirs();

  it('prints results, and one JSON document with --json', async () => {
    const dir = tempDir();
    const { store } = await seeded(dir);
    await store.close();
    const text = await runCli(['--data-dir', dir, 'search', 'parquet', 'export']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('[parquet]');
    const json = await runCli(['--data-dir', dir, 'search', 'retention', '--source', 'api', '--json']);
    expect(json.code).toBe(0);
    const parsed = searchResponseSchema.parse(JSON.parse(json.stdout));
    expect(parsed.results).toHaveLength(2);
    const none = await runCli(['--data-dir', dir, 'search', '"(', '--json']);
    expect(JSON.parse(none.stdout)).toEqual({ results: [] });
  });

  it('explains a bad flag', async () => {
    const dir = tempDir();
    const bad = await runCli(['--data-dir', dir, 'search', 'x', '--since', 'yesterday-ish']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since does not take');
    const order = await runCli(['--data-dir', dir, 'search', 'x', '--order', 'best']);
    expect(order.stderr).toContain('relevance or recent');
  });
});
