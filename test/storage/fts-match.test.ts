import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { ftsPhrases, matchesPhrases } from '../../src/storage/sqlite/fts-match.ts';
import { toFtsQuery } from '../../src/storage/sqlite/search-queries.ts';

const texts = [
  'Parse the config file, then parse it again.',
  'The café serves Crème brûlée; CAFE is closed',
  'see foo-bar here and foo then bar',
  'naïve façade über Ärger',
  'Ошибка в конфигурации сервера',
  'エラーが発生しました error123 v2.5.1',
  'ERR1234 in /home/dev/project-3/src/index.ts line 42',
  'tabs\tand\nnewlines  and   spaces',
  'x',
  '',
  'Résumé of the résumés: resume',
  'snake_case_words and camelCaseWords',
];
const queries = [
  'parse config',
  'cafe',
  'café creme',
  'brûl*',
  'foo-bar',
  '"foo bar"',
  'bar foo',
  'naive facade',
  'uber arger',
  'ошибка',
  'конфиг*',
  'エラーが発生しました',
  'error123',
  'v2',
  '2.5',
  'err1234 index',
  'proj*',
  'newlines spaces',
  'resume',
  'résumé*',
  'snake case',
  'camelcasewords',
  'camel*',
  'x',
  'parse* again',
  'the the',
];

describe('fts-match: the index matching in JavaScript', () => {
  it('matches exactly what FTS5 (unicode61) matches, for every text and query', () => {
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE VIRTUAL TABLE t USING fts5 (text)');
    const insert = db.prepare('INSERT INTO t (rowid, text) VALUES (?, ?)');
    texts.forEach((text, i) => insert.run(i + 1, text));
    let matched = 0;
    for (const query of queries) {
      const fts = toFtsQuery(query)!;
      const byIndex = (
        db.prepare('SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid').all(fts) as {
          rowid: number;
        }[]
      ).map((r) => r.rowid);
      const phrases = ftsPhrases(fts);
      const byScript = texts.flatMap((text, i) => (matchesPhrases(text, phrases) ? [i + 1] : []));
      expect(byScript, `${query} → ${fts}`).toEqual(byIndex);
      matched += byIndex.length;
    }
    expect(matched).toBeGreaterThan(queries.length);
    db.close();
  });
});
