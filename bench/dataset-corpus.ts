import type { Agentlog } from '../src/agentlog.ts';
import type { Block } from '../src/domain/blocks.ts';
import { textOf } from '../src/domain/blocks.ts';
import type { Role } from '../src/domain/message.ts';
import { Ingestor } from '../src/ingest/ingestor.ts';
import { contentHash } from '../src/sources/shared/content-hash.ts';
import type { ParsedRecord } from '../src/sources/source-format.ts';

/**
 * A synthetic corpus for the dataset benchmark: coding-agent sessions of about `messages`
 * messages each (user prompts, assistant prose, tool calls and results, some failing), written
 * through the Ingestor like an import. 1 % of sessions copy an earlier one exactly, 2 % nearly
 * (one word changed), 1 % end with an unanswered tool call.
 */

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const syllables = [
  'ka',
  'lo',
  'mi',
  'ne',
  'tor',
  'sa',
  'ri',
  'pen',
  'du',
  'vo',
  'gre',
  'lin',
  'ba',
  'xe',
  'qu',
  'fa',
];
const vocabulary = Array.from({ length: 3000 }, (_, i) => {
  let word = '';
  for (let n = i + 7; n > 0; n = Math.floor(n / 16)) word += syllables[n % 16];
  return word;
});

type Draft = { role: Role; blocks: Block[] };

class Writer {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = random(seed);
  }

  words(min: number, max: number): string {
    const n = min + Math.floor(this.next() * (max - min));
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(vocabulary[Math.floor(this.next() ** 2 * vocabulary.length)]!);
    return out.join(' ');
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

function session(seed: number, messages: number): Draft[] {
  const w = new Writer(seed);
  const drafts: Draft[] = [];
  let call = 0;
  while (drafts.length < messages - 1) {
    drafts.push({ role: 'user', blocks: [{ type: 'text', text: `${w.words(8, 40)}?` }] });
    for (let step = 0; step < 2 && drafts.length < messages - 2; step++) {
      const id = `call_${seed}_${call++}`;
      const tool = w.pick(['Bash', 'Read', 'Edit', 'Grep']);
      drafts.push({
        role: 'assistant',
        blocks: [
          { type: 'text', text: w.words(5, 20) },
          {
            type: 'tool_use',
            id,
            name: tool,
            input: { command: w.words(2, 6), path: `src/${w.words(1, 2).replace(' ', '/')}.ts` },
          },
        ],
      });
      const failed = w.chance(0.1);
      const output = failed ? `Error: ${w.words(5, 15)}` : w.words(10, 80);
      drafts.push({
        role: 'tool',
        blocks: [{ type: 'tool_result', toolUseId: id, content: output, isError: failed }],
      });
    }
    drafts.push({ role: 'assistant', blocks: [{ type: 'text', text: `${w.words(20, 70)}.` }] });
  }
  return drafts;
}

/** The first word of the first prompt changed: a near-duplicate of the same session. */
function nudge(drafts: Draft[]): Draft[] {
  const [first, ...rest] = drafts;
  if (first === undefined) return drafts;
  const blocks = first.blocks.map((b) =>
    b.type === 'text' ? { ...b, text: b.text.replace(/^\w+/, 'altered') } : b,
  );
  return [{ ...first, blocks }, ...rest];
}

function record(source: string, name: string, i: number, draft: Draft, start: number): ParsedRecord {
  return {
    recordType: 'message',
    sessionExternalId: name,
    sessions: [{ source, externalId: name, timestamp: start + i * 1000 }],
    message: {
      source,
      sessionExternalId: name,
      externalId: `${name}#${i}`,
      parentExternalId: null,
      role: draft.role,
      kind: draft.role === 'tool' ? 'tool_result' : 'message',
      speaker: null,
      blocks: draft.blocks,
      text: textOf(draft.blocks),
      model: null,
      usage: null,
      responseId: null,
      timestamp: start + i * 1000,
      seq: i,
      contentHash: contentHash(draft.role, draft.blocks),
      meta: {},
    },
    usage: null,
    images: [],
    problem: null,
  };
}

/** Writes the corpus; returns the number of messages. */
export async function writeCorpus(
  agentlog: Agentlog,
  sessions: number,
  messages: number,
  onProgress: (done: number) => void,
): Promise<number> {
  const source = 'bench';
  const ingestor = new Ingestor(agentlog.store, agentlog.project.id, source, agentlog.ingestPipeline());
  let total = 0;
  for (let s = 0; s < sessions; s++) {
    const copyOf = s > 100 && s % 100 === 7 ? s - 50 : s > 100 && s % 50 === 13 ? s - 30 : -1;
    let drafts = session(copyOf >= 0 ? copyOf : s, messages);
    if (copyOf >= 0 && s % 50 === 13) drafts = nudge(drafts);
    if (s % 100 === 42)
      drafts.push({
        role: 'assistant',
        blocks: [{ type: 'tool_use', id: `orphan_${s}`, name: 'Bash', input: {} }],
      });
    const name = `bench-${String(s).padStart(6, '0')}`;
    const start = Date.UTC(2026, 0, 1) + s * 60_000;
    drafts.forEach((d, i) => {
      ingestor.add(record(source, name, i, d, start), null);
    });
    total += drafts.length;
    if (ingestor.full) await ingestor.flush();
    if (s % 200 === 0) onProgress(s);
  }
  await ingestor.flush();
  return total;
}
