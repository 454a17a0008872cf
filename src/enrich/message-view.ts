import type { Block } from '../domain/blocks.ts';
import type { MessageInput } from '../domain/message.ts';
import { letter, number, wordRuns } from './word-runs.ts';
import { stem } from './word-stem.ts';

/** What enrichment reads of a message: the same for one being ingested and one stored. */
export type EnrichableMessage = Pick<MessageInput, 'role' | 'kind' | 'blocks' | 'text'>;

export type ToolCall = { name: string; id: string; summary: string };
export type ToolResult = { id: string; failed: boolean; text: string };

/** Enrichers read at most this much text: beyond it, a message is code or logs, and more says nothing new. */
const maxProse = 64 * 1024;
const maxToolText = 4 * 1024;

/** Markers agents write into a tool result that failed without setting the error flag. */
const failureMarkers = [
  '<tool_use_error>',
  'Command failed with exit code',
  'Traceback (most recent call last)',
];

/**
 * A message as enrichers see it, computed once per message: prose (text and thinking), tool calls
 * and results, and the lower-case words of all of it. Sizes are capped so one huge message costs
 * no more than a large one.
 */
export class MessageView {
  readonly message: EnrichableMessage;
  readonly role: string;
  readonly kind: string;
  readonly prose: string;
  readonly calls: ToolCall[] = [];
  readonly results: ToolResult[] = [];
  /** Whether the prose was cut at the cap. */
  readonly truncated: boolean;
  private wordList: string[] | null = null;
  private stemList: string[] | null = null;
  private allText: string | null = null;

  constructor(message: EnrichableMessage) {
    this.message = message;
    this.role = message.role;
    this.kind = message.kind;
    const parts: string[] = [];
    this.collect(message.blocks, parts);
    let prose = parts.length > 0 ? parts.join('\n') : message.text;
    this.truncated = prose.length > maxProse;
    if (this.truncated) prose = prose.slice(0, maxProse);
    this.prose = prose;
  }

  /** Prose, tool calls and results together (what the message is about). */
  get full(): string {
    if (this.allText === null) {
      const parts = [this.prose];
      for (const c of this.calls) parts.push(c.name, c.summary);
      for (const r of this.results) parts.push(r.text);
      this.allText = parts.join('\n').slice(0, maxProse);
    }
    return this.allText;
  }

  /** Lower-case words (letters and digits) of `full`, in order. */
  get words(): string[] {
    this.wordList ??= wordRuns(this.full.toLowerCase(), letter | number, letter | number);
    return this.wordList;
  }

  /** `words` stemmed (word-stem.ts), numbers glued to units reduced to the unit (`120ms` → `ms`). */
  get stems(): string[] {
    this.stemList ??= this.words.map((w) => {
      const c = w.charCodeAt(0);
      return stem(c >= 48 && c <= 57 ? w.replace(/^[\d.]+/, '') : w);
    });
    return this.stemList;
  }

  private collect(blocks: readonly Block[], prose: string[]): void {
    for (const block of blocks) {
      switch (block.type) {
        case 'text':
          if (block.text.length > 0) prose.push(block.text);
          break;
        case 'thinking':
          if (block.thinking.length > 0) prose.push(block.thinking);
          break;
        case 'tool_use':
          this.calls.push({ name: block.name, id: block.id, summary: stringsOf(block.input, maxToolText) });
          break;
        case 'tool_result': {
          const text = (
            typeof block.content === 'string' ? block.content : textOfBlocks(block.content)
          ).slice(0, maxToolText);
          const failed = block.isError || failureMarkers.some((m) => text.includes(m));
          this.results.push({ id: block.toolUseId, failed, text });
          break;
        }
        case 'image':
        case 'other':
          break;
        default:
          block satisfies never;
      }
    }
  }
}

function textOfBlocks(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) if (b.type === 'text') out.push(b.text);
  return out.join('\n');
}

/** The string values inside a tool's input, joined, up to `max` characters. */
function stringsOf(value: unknown, max: number): string {
  const out: string[] = [];
  let size = 0;
  const walk = (v: unknown): void => {
    if (size >= max) return;
    if (typeof v === 'string') {
      out.push(v);
      size += v.length;
    } else if (Array.isArray(v)) for (const item of v) walk(item);
    else if (typeof v === 'object' && v !== null) for (const item of Object.values(v)) walk(item);
  };
  walk(value);
  return out.join(' ').slice(0, max);
}
