import type { Block } from '../domain/blocks.ts';
import type { RedactionPolicy } from '../domain/enrichment.ts';
import type { MessageInput } from '../domain/message.ts';
import type { SessionPatch } from '../domain/session.ts';
import type { ParsedRecord } from '../sources/source-format.ts';
import { rewriteJsonStrings } from './json-strings.ts';
import { piiRules } from './pii-rules.ts';
import { secretRules } from './secret-rules.ts';
import type { RedactionRule } from './redaction-rule.ts';
import { placeholder, TextRedactor, type RedactionCounts } from './text-redactor.ts';

export type RedactionSettings = {
  policy: RedactionPolicy;
  /** E-mail, phone, IP and card numbers too (secrets are always redacted unless the policy is off). */
  pii: boolean;
};

export const defaultRedaction: RedactionSettings = { policy: 'mask', pii: true };

export type Redaction = {
  record: ParsedRecord;
  /** The raw bytes as they may be stored (the same array when nothing was found). */
  raw: Uint8Array | null;
  /** Findings in the record's message and session fields, by kind (a string repeated counts once). */
  counts: RedactionCounts;
  /** Findings in the raw record beyond what the message holds. */
  rawCounts: RedactionCounts;
  /** The message's content was replaced whole (policy drop-message). */
  dropped: boolean;
};

/** Strings this long or longer are remembered per record: the raw record repeats the message's text. */
const memoMinLength = 24;
const droppedText = placeholder('message');
const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/**
 * Redacts a parsed record (every string a message or session patch carries) and the raw bytes it
 * came from, the same way, before anything is queued for the store. First the rules are chosen
 * by their triggers over the whole record; a record that fires none (most) is not walked at all.
 */
export class RecordRedactor {
  readonly settings: RedactionSettings;
  private readonly text: TextRedactor;
  private readonly memo = new Map<string, string>();
  private counts: RedactionCounts = {};
  private rules: readonly RedactionRule[] = [];

  constructor(settings: RedactionSettings) {
    this.settings = settings;
    this.text = new TextRedactor(settings.pii ? [...secretRules, ...piiRules] : secretRules);
  }

  redact(record: ParsedRecord, raw: Uint8Array | null): Redaction {
    const nothing = { record, raw, counts: {}, rawCounts: {}, dropped: false };
    if (this.settings.policy === 'off') return nothing;
    const rawText = raw === null ? null : decoder.decode(raw);
    this.rules = this.text.rulesFor(recordText(record, rawText));
    if (this.rules.length === 0) return nothing;
    this.memo.clear();
    const redacted = this.redactRecord(record);
    this.counts = {};
    const rawOut = raw === null || rawText === null ? raw : this.redactRaw(raw, rawText);
    return { ...redacted, raw: rawOut, rawCounts: this.counts };
  }

  private redactRecord(record: ParsedRecord): Omit<Redaction, 'raw' | 'rawCounts'> {
    this.counts = {};
    const sessions = record.sessions.map((s) => this.session(s));
    const leafTitle = this.leafTitle(record.leafTitle);
    let message = record.message === null ? null : this.message(record.message);
    const counts = this.counts;
    const dropped = message !== null && this.settings.policy === 'drop-message' && hasAny(counts);
    if (dropped && message !== null) message = dropContent(message);
    const changed =
      message !== record.message ||
      leafTitle !== record.leafTitle ||
      sessions.some((s, i) => s !== record.sessions[i]);
    if (!changed) return { record, counts, dropped };
    return { record: { ...record, sessions, message, ...(leafTitle ? { leafTitle } : {}) }, counts, dropped };
  }

  private leafTitle(leaf: ParsedRecord['leafTitle']): ParsedRecord['leafTitle'] {
    if (leaf === undefined) return leaf;
    const title = this.string(leaf.title);
    return title === leaf.title ? leaf : { ...leaf, title };
  }

  /** The raw bytes with every JSON string value redacted (the whole text when it is not JSON). */
  private redactRaw(bytes: Uint8Array, text: string): Uint8Array {
    let redacted: string | null = null;
    if (isJsonLike(text))
      redacted = rewriteJsonStrings(
        text,
        (s) => this.string(s),
        (gap) => this.gap(gap),
        cardDigits,
      );
    redacted ??= this.text.redact(text, this.counts, this.rules);
    return redacted === text ? bytes : encoder.encode(redacted);
  }

  /** Any string; the same string when nothing was found. */
  private string(value: string): string {
    if (value.length < memoMinLength) return this.text.redact(value, this.counts, this.rules);
    // A string met again in the same record (a text block and the raw line holding it) is
    // redacted once and counted once.
    const known = this.memo.get(value);
    if (known !== undefined) return known;
    const redacted = this.text.redact(value, this.counts, this.rules);
    this.memo.set(value, redacted);
    return redacted;
  }

  /** Numbers between JSON strings: a card number written as a number becomes a placeholder string. */
  private gap(between: string): string {
    if (!holdsCardDigits(between)) return between;
    return this.text
      .redact(between, this.counts, this.rules)
      .replace(/\[REDACTED:[a-z0-9_]+\]/g, (p) => JSON.stringify(p));
  }

  /** Any JSON value: strings inside are redacted; unchanged parts keep their identity. */
  private value(value: unknown): unknown {
    if (typeof value === 'string') return this.string(value);
    if (Array.isArray(value)) {
      let out: unknown[] | null = null;
      value.forEach((item, i) => {
        const next = this.value(item);
        if (next !== item) (out ??= [...value])[i] = next;
      });
      return out ?? value;
    }
    if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
      let out: Record<string, unknown> | null = null;
      for (const [key, item] of Object.entries(value)) {
        const next = this.value(item);
        if (next !== item) (out ??= { ...(value as Record<string, unknown>) })[key] = next;
      }
      return out ?? value;
    }
    return value;
  }

  private message(m: MessageInput): MessageInput {
    const blocks = this.blocks(m.blocks);
    // `text` repeats the text blocks: redacted the same, counted with them only.
    const counts = this.counts;
    this.counts = {};
    const text = this.string(m.text);
    this.counts = counts;
    const meta = this.value(m.meta) as Record<string, unknown>;
    const speaker =
      m.speaker === null ? null : { name: this.string(m.speaker.name), role: this.string(m.speaker.role) };
    const same =
      blocks === m.blocks &&
      text === m.text &&
      meta === m.meta &&
      (m.speaker === null || (speaker?.name === m.speaker.name && speaker.role === m.speaker.role));
    return same ? m : { ...m, blocks, text, meta, speaker };
  }

  private blocks(blocks: Block[]): Block[] {
    let out: Block[] | null = null;
    blocks.forEach((block, i) => {
      const next = this.block(block);
      if (next !== block) (out ??= [...blocks])[i] = next;
    });
    return out ?? blocks;
  }

  private block(block: Block): Block {
    switch (block.type) {
      case 'text': {
        const text = this.string(block.text);
        return text === block.text ? block : { ...block, text };
      }
      case 'thinking': {
        const thinking = this.string(block.thinking);
        return thinking === block.thinking ? block : { ...block, thinking };
      }
      case 'tool_use': {
        const input = this.value(block.input);
        return input === block.input ? block : { ...block, input };
      }
      case 'tool_result': {
        const content =
          typeof block.content === 'string' ? this.string(block.content) : this.blocks(block.content);
        return content === block.content ? block : { ...block, content };
      }
      case 'other': {
        const value = this.value(block.value);
        return value === block.value ? block : { ...block, value };
      }
      case 'image':
        return block;
      default:
        return block satisfies never;
    }
  }

  private session(patch: SessionPatch): SessionPatch {
    let out: SessionPatch | null = null;
    for (const key of ['title', 'fallbackTitle', 'cwd', 'gitBranch'] as const) {
      const value = patch[key];
      if (value === undefined) continue;
      const next = this.string(value);
      if (next !== value) (out ??= { ...patch })[key] = next;
    }
    if (patch.meta !== undefined) {
      const meta = this.value(patch.meta) as Record<string, unknown>;
      if (meta !== patch.meta) (out ??= { ...patch }).meta = meta;
    }
    return out ?? patch;
  }
}

/**
 * All the text of a record in one string, each string decoded, joined by new lines: the strings
 * of the message and session patches, and of the raw record (JSON string values, and numbers
 * long enough to be cards), or the whole raw text when it is not JSON.
 */
function recordText(record: ParsedRecord, rawText: string | null): string {
  const parts: string[] = [];
  // Long strings of the raw record, so that the message's copies of them are not scanned twice.
  const rawStrings = new Set<string>();
  if (rawText !== null) {
    const json = isJsonLike(rawText)
      ? rewriteJsonStrings(
          rawText,
          (s) => {
            parts.push(s);
            if (s.length >= memoMinLength) rawStrings.add(s);
            return s;
          },
          (gap) => {
            if (holdsCardDigits(gap)) parts.push(gap);
            return gap;
          },
          cardDigits,
        )
      : null;
    // Not JSON (or broken JSON): the text as it is.
    if (json === null) {
      parts.length = 0;
      rawStrings.clear();
      parts.push(rawText);
    }
  }
  collectStrings(record.message, parts, rawStrings);
  collectStrings(record.sessions, parts, rawStrings);
  return parts.join('\n');
}

function collectStrings(value: unknown, out: string[], known: ReadonlySet<string>): void {
  if (typeof value === 'string') {
    if (value.length > 0 && !known.has(value)) out.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectStrings(item, out, known);
  } else if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
    for (const item of Object.values(value)) collectStrings(item, out, known);
  }
}

/** Twelve digits in a row: a card number written as a JSON number (gaps shorter are not looked at). */
const cardDigits = 12;
function holdsCardDigits(gap: string): boolean {
  return /\d{12}/.test(gap);
}

function isJsonLike(text: string): boolean {
  return /^\s*[[{"]/.test(text);
}

function hasAny(counts: RedactionCounts): boolean {
  for (const _ in counts) return true;
  return false;
}

/** Policy drop-message: the message stays (its id, place, links and redacted meta) but says nothing. */
function dropContent(m: MessageInput): MessageInput {
  return { ...m, blocks: [{ type: 'text', text: droppedText }], text: droppedText };
}
