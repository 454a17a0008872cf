import type { DocumentRecord, ParsedRecord, RecordParser } from '../source-format.ts';
import { problemRecord } from '../shared/chat-record.ts';
import { describe, isObj } from '../shared/fields.ts';
import { readConversation } from './conversation.ts';

/** A ShareGPT JSON document: an array of conversations; `position` is a conversation's 1-based index. */
export function* parseShareGptDocument(file: string, value: unknown): Iterable<DocumentRecord> {
  const list = Array.isArray(value) ? value : isObj(value) && 'conversations' in value ? [value] : null;
  if (list === null) {
    const problem = `expected an array of conversations, got ${describe(value)}`;
    yield { record: problemRecord('export', null, problem), raw: value, position: 1 };
    return;
  }
  for (let i = 0; i < list.length; i++) {
    const raw: unknown = list[i];
    // Every record of a conversation gives the conversation itself as raw: it is stored once.
    for (const record of readConversation(file, i + 1, raw)) yield { record, raw, position: i + 1 };
  }
}

/** ShareGPT as JSON Lines: one conversation a line. */
export class ShareGptLineParser implements RecordParser {
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  parse(value: unknown, line: number): ParsedRecord[] {
    return readConversation(this.file, line, value);
  }
}
