import { join } from 'node:path';
import type { BuildFile } from '../../domain/training-file.ts';
import type { Split } from '../split.ts';
import { hashFile, LineFile, readLineFile } from './line-file.ts';
import { withFields, type SpooledRecord } from './spool-records.ts';

/** A spooled example on its way into the files, with the side of the split it fell on. */
export type WrittenExample = SpooledRecord & {
  split: Split;
  /** The id of its near-duplicate cluster (the cluster's first example), when it has company. */
  cluster: string | null;
};

/** A file written in the build's staging directory. */
export type OutputFile = Omit<BuildFile, 'key'> & { path: string };

export interface OutputSink {
  add(example: WrittenExample): Promise<void>;
  finish(): Promise<OutputFile[]>;
  abort(): void;
}

function provenance(example: WrittenExample, line: number): string {
  return withFields(example.provenance, { split: example.split, line });
}

async function closed(file: LineFile, name: string, role: BuildFile['role']): Promise<OutputFile> {
  const done = await file.close();
  return { name, role, path: done.path, bytes: done.bytes, sha256: done.sha256, records: done.records };
}

/** train.jsonl and validation.jsonl in the target format, and provenance.jsonl (line → example, session, messages). */
export class JsonlSink implements OutputSink {
  private readonly dir: string;
  private readonly splits = new Map<Split, LineFile>();
  private readonly provenance: LineFile;

  constructor(dir: string) {
    this.dir = dir;
    this.provenance = new LineFile(join(dir, 'provenance.jsonl'));
  }

  async add(example: WrittenExample): Promise<void> {
    let file = this.splits.get(example.split);
    if (file === undefined)
      this.splits.set(example.split, (file = new LineFile(join(this.dir, `${example.split}.jsonl`))));
    await file.line(example.record);
    await this.provenance.line(provenance(example, file.records));
  }

  async finish(): Promise<OutputFile[]> {
    const out: OutputFile[] = [];
    for (const split of ['train', 'validation'] as const) {
      const file = this.splits.get(split);
      if (file !== undefined) out.push(await closed(file, `${split}.jsonl`, split));
    }
    out.push(await closed(this.provenance, 'provenance.jsonl', 'provenance'));
    return out;
  }

  abort(): void {
    for (const file of this.splits.values()) file.destroy();
    this.provenance.destroy();
  }
}

const parquetColumns = [
  ['id', 'VARCHAR'],
  ['split', 'VARCHAR'],
  ['session_id', 'VARCHAR'],
  ['strategy', 'VARCHAR'],
  ['example_index', 'BIGINT'],
  ['message_ids', 'BIGINT[]'],
  ['quality', 'DOUBLE'],
  ['tokens', 'BIGINT'],
  ['messages', 'JSON'],
  ['tools', 'JSON'],
] as const;

/**
 * train.parquet and validation.parquet: one row per example with its OpenAI-shaped `messages`
 * and `tools` as JSON columns beside its provenance; written by DuckDB (zstd) from JSON Lines.
 */
export class ParquetSink implements OutputSink {
  private readonly dir: string;
  private readonly rows = new Map<Split, LineFile>();
  private readonly provenance: LineFile;

  constructor(dir: string) {
    this.dir = dir;
    this.provenance = new LineFile(join(dir, 'provenance.jsonl'));
  }

  async add(example: WrittenExample): Promise<void> {
    let file = this.rows.get(example.split);
    if (file === undefined)
      this.rows.set(example.split, (file = new LineFile(join(this.dir, `rows-${example.split}.jsonl`))));
    await file.line(withFields(example.record, { split: example.split }));
    await this.provenance.line(provenance(example, file.records));
  }

  async finish(): Promise<OutputFile[]> {
    const out: OutputFile[] = [];
    // Loaded only here: DuckDB's native library is large, and only Parquet needs it.
    const { jsonLinesToParquet, openDuck } = await import('../../archive/duckdb.ts');
    // One thread: row groups, and so the bytes, come out the same on every run.
    const duck = await openDuck({ threads: 1 });
    try {
      for (const split of ['train', 'validation'] as const) {
        const rows = this.rows.get(split);
        if (rows === undefined) continue;
        const done = await rows.close();
        const path = join(this.dir, `${split}.parquet`);
        await jsonLinesToParquet(duck, done.path, path, parquetColumns);
        out.push({
          name: `${split}.parquet`,
          role: split,
          path,
          records: done.records,
          ...(await hashFile(path)),
        });
      }
    } finally {
      duck.close();
    }
    out.push(await closed(this.provenance, 'provenance.jsonl', 'provenance'));
    return out;
  }

  abort(): void {
    for (const file of this.rows.values()) file.destroy();
    this.provenance.destroy();
  }
}

/** What the JSON document says before its examples (all known once the examples are judged). */
export type DocumentHead = Record<string, unknown> & { conversations: unknown[] };

/**
 * dataset.json: the aggregated document (schema agentlog.training-file/1, docs/DATASETS.md),
 * written as a stream: the head, then each example as it comes, then the dropped examples.
 */
export class DocumentSink implements OutputSink {
  private readonly file: LineFile;
  private readonly droppedPath: string;
  private examples = 0;

  private constructor(file: LineFile, droppedPath: string) {
    this.file = file;
    this.droppedPath = droppedPath;
  }

  static async open(dir: string, head: DocumentHead, droppedPath: string): Promise<DocumentSink> {
    const file = new LineFile(join(dir, 'dataset.json'));
    const { conversations, ...rest } = head;
    await file.text(`${JSON.stringify(rest).slice(0, -1)},\n"conversations":[\n`);
    for (const [i, c] of conversations.entries())
      await file.text(`${i === 0 ? '' : ',\n'}${JSON.stringify(c)}`);
    await file.text('\n],\n"examples":[\n');
    return new DocumentSink(file, droppedPath);
  }

  async add(example: WrittenExample): Promise<void> {
    const record = withFields(example.record, { split: example.split, cluster: example.cluster });
    await this.file.text(`${this.examples === 0 ? '' : ',\n'}${record}`);
    this.examples++;
  }

  async finish(): Promise<OutputFile[]> {
    await this.file.text('\n],\n"dropped":[\n');
    let first = true;
    for await (const line of readLineFile(this.droppedPath)) {
      await this.file.text(first ? line : `,\n${line}`);
      first = false;
    }
    await this.file.text('\n]}\n');
    const done = await this.file.close();
    return [
      {
        name: 'dataset.json',
        role: 'document',
        path: done.path,
        bytes: done.bytes,
        sha256: done.sha256,
        records: this.examples,
      },
    ];
  }

  abort(): void {
    this.file.destroy();
  }
}
