import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/domain/blocks.ts';
import type { EnrichmentValues } from '../../src/domain/enrichment.ts';
import { contentHashEnricher } from '../../src/enrich/content-hash.ts';
import type { Enricher } from '../../src/enrich/enricher.ts';
import { ingestEnrichers } from '../../src/enrich/enrichers.ts';
import { keywordsEnricher, tfIdf } from '../../src/enrich/keywords.ts';
import { detectLanguage } from '../../src/enrich/language.ts';
import { MessageView, type EnrichableMessage } from '../../src/enrich/message-view.ts';
import { runEnrichers } from '../../src/enrich/run-enrichers.ts';
import { extractTerms } from '../../src/enrich/terms.ts';
import { estimateTokens, loadTokenCounter } from '../../src/enrich/tokens.ts';

const text = (t: string, role: EnrichableMessage['role'] = 'user'): EnrichableMessage => ({
  role,
  kind: 'message',
  blocks: [{ type: 'text', text: t }],
  text: t,
});

const blocks = (role: EnrichableMessage['role'], b: Block[]): EnrichableMessage => ({
  role,
  kind: b.some((x) => x.type === 'tool_result') ? 'tool_result' : 'message',
  blocks: b,
  text: '',
});

function valueOf<N extends keyof EnrichmentValues>(
  enrichment: ReturnType<typeof runEnrichers>,
  name: N,
): EnrichmentValues[N] {
  const result = enrichment.results.find((r) => r.enricher === name);
  expect(result?.error ?? null).toBeNull();
  return result!.value as EnrichmentValues[N];
}

describe('tools', () => {
  it('names the tools called and the failed results, by the call seen earlier', () => {
    const enrichers = ingestEnrichers();
    const call = runEnrichers(
      enrichers,
      blocks('assistant', [
        { type: 'tool_use', id: 't1', name: 'Bash', input: { command: 'npm test' } },
        { type: 'tool_use', id: 't2', name: 'Read', input: { file_path: '/a.ts' } },
      ]),
    );
    expect(valueOf(call, 'tools').calls).toEqual([
      { name: 'Bash', id: 't1' },
      { name: 'Read', id: 't2' },
    ]);
    const result = runEnrichers(
      enrichers,
      blocks('user', [
        { type: 'tool_result', toolUseId: 't1', content: 'Command failed with exit code 1', isError: false },
        { type: 'tool_result', toolUseId: 't2', content: 'file text', isError: false },
        { type: 'tool_result', toolUseId: 't9', content: 'no such file', isError: true },
      ]),
    );
    expect(valueOf(result, 'tools').results).toEqual([
      { id: 't1', name: 'Bash', failed: true },
      { id: 't2', name: 'Read', failed: false },
      { id: 't9', name: null, failed: true },
    ]);
    expect(result.labels.filter((l) => l.facet === 'tool_error').map((l) => l.label)).toEqual([
      'Bash',
      'unknown',
    ]);
    expect(valueOf(result, 'tags').tags[0]).toBe('@Status-Failed');
    expect(valueOf(call, 'tags').tags[0]).toBe('@Status-InProgress');
  });
});

describe('tags', () => {
  it('writes status, one chain tag per domain, and the tier', () => {
    const e = runEnrichers(
      ingestEnrichers(),
      text('Can we add unit tests with vitest for the flaky parser?'),
    );
    const tags = valueOf(e, 'tags').tags;
    expect(tags[0]).toBe('@Status-Request');
    expect(tags).toContain('@Chain-TestingValidation');
    expect(tags.at(-1)).toMatch(/^@Tier-(Architectural|Collaborative|Execution)$/);
  });
});

describe('language', () => {
  it.each([
    ['The parser reads each line and writes the records to the store.', 'en', 'Latin'],
    [
      'Der Parser liest jede Zeile und schreibt die Datensätze, die er findet, in den Speicher.',
      'de',
      'Latin',
    ],
    ['Le parseur lit chaque ligne et écrit les enregistrements dans la base pour nous.', 'fr', 'Latin'],
    [
      'El analizador lee cada línea y escribe los registros en la base de datos para el equipo.',
      'es',
      'Latin',
    ],
    ['Парсер читает каждую строку и записывает записи в хранилище.', 'ru', 'Cyrillic'],
    ['Парсер читає кожен рядок і записує їх у сховище.', 'uk', 'Cyrillic'],
    ['パーサーは各行を読み込み、レコードをストアに書き込みます。', 'ja', 'Kana'],
    ['解析器读取每一行并将记录写入存储。', 'zh', 'Han'],
    ['파서는 각 줄을 읽고 레코드를 저장소에 씁니다.', 'ko', 'Hangul'],
    ['يقرأ المحلل كل سطر ويكتب السجلات في المخزن.', 'ar', 'Arabic'],
    ['המנתח קורא כל שורה וכותב את הרשומות למאגר.', 'he', 'Hebrew'],
    ['पार्सर हर पंक्ति पढ़ता है और रिकॉर्ड लिखता है।', 'hi', 'Devanagari'],
    ['ตัวแยกวิเคราะห์อ่านแต่ละบรรทัด', 'th', 'Thai'],
  ])('%s → %s', (sample, language, script) => {
    expect(detectLanguage(sample)).toMatchObject({ language, script });
  });

  it('says undetermined for code, logs and nothing', () => {
    expect(
      detectLanguage('const x = await fetch(url); if (!x.ok) throw new Error(x.statusText);').language,
    ).toBe('und');
    expect(detectLanguage('2026-01-02T03:04:05Z ERROR db.pool timeout=30000 retries=3').language).toBe('und');
    expect(detectLanguage('12345 !!! ---')).toEqual({ language: 'und', script: 'none', confidence: 0 });
  });
});

describe('content hash, tokens, terms, keywords', () => {
  const run = (m: EnrichableMessage, e: Enricher) => runEnrichers([e], m);

  it('hashes what the message says, not its white space', () => {
    const a = valueOf(run(text('fix  the\nparser'), contentHashEnricher), 'hash').sha256;
    expect(valueOf(run(text('fix the parser'), contentHashEnricher), 'hash').sha256).toBe(a);
    expect(valueOf(run(text('fix the parser', 'assistant'), contentHashEnricher), 'hash').sha256).not.toBe(a);
    expect(valueOf(run(text('fix the lexer'), contentHashEnricher), 'hash').sha256).not.toBe(a);
  });

  it('estimates tokens at ingest and counts them exactly later', async () => {
    expect(estimateTokens('hello world')).toBe(3);
    const counter = await loadTokenCounter();
    expect(valueOf(run(text('hello world'), counter), 'tokens')).toEqual({
      tokens: 2,
      encoding: 'o200k_base',
      estimated: false,
    });
    // Special-token text is counted as text.
    expect(valueOf(run(text('<|endoftext|>'), counter), 'tokens').tokens).toBeGreaterThan(1);
  });

  it('takes terms from prose: no code, paths, URLs, numbers, ids or stop-words', () => {
    const message = text(
      'The ingestion pipeline drops duplicates. Run `npm test` in /home/dev/app/src, see https://example.com/x ' +
        'and commit 3f2a9c1b. ```ts\nconst pipeline = load();\n``` The pipeline batches writes.',
    );
    const terms = extractTerms(new MessageView(message));
    expect(terms).toEqual(
      expect.arrayContaining([
        { term: 'pipeline', count: 2 },
        { term: 'ingestion', count: 1 },
        { term: 'duplicates', count: 1 },
      ]),
    );
    const words = terms.map((t) => t.term);
    for (const noise of ['the', 'npm', 'const', 'load', 'home', 'example', '3f2a9c1b', 'see'])
      expect(words).not.toContain(noise);
  });

  it('weights keywords by rarity in the corpus (TF-IDF)', () => {
    expect(tfIdf(3, 0, 100)).toBeGreaterThan(tfIdf(3, 50, 100));
    expect(tfIdf(1, 100, 100)).toBeCloseTo(0, 1);
    const corpus = {
      documents: 100,
      frequencies: new Map([
        ['parser', 90],
        ['tokenizer', 2],
      ]),
    };
    const e = runEnrichers(
      [keywordsEnricher],
      text('The parser calls the tokenizer; the parser is fine.'),
      corpus,
    );
    expect(valueOf(e, 'keywords').keywords[0]?.term).toBe('tokenizer');
  });
});

describe('failures', () => {
  it('records a failing enricher on the message and runs the others', () => {
    const broken: Enricher<'tier'> = {
      name: 'tier',
      version: 9,
      stage: 'ingest',
      facets: ['tier'],
      enrich() {
        throw new RangeError('no tier today');
      },
    };
    const e = runEnrichers([broken, contentHashEnricher], text('anything'));
    expect(e.results[0]).toEqual({
      enricher: 'tier',
      version: 9,
      value: null,
      error: 'RangeError: no tier today',
    });
    expect(e.results[1]?.error).toBeNull();
    expect(e.labels).toContainEqual({ facet: 'failed', label: 'tier', rank: 0 });
  });
});
