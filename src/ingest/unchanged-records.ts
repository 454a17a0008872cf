import { sessionIdFor } from '../domain/ids.ts';
import type { MessageInput } from '../domain/message.ts';
import type { ParsedRecord } from '../sources/source-format.ts';
import type { Store } from '../storage/ports.ts';
import type { RawOrigin } from './ingestor.ts';
import { rawHash } from './raw-codec.ts';

/** A record of a document with the raw bytes it came from (shared by records cut from one value). */
export type DocumentItem = { record: ParsedRecord; origin: RawOrigin };

/**
 * Tells, for the records of a document read again (agents rewrite these whole), which ones the
 * store already holds as they are, so they need not be redacted, enriched and compressed again.
 *
 * A record is unchanged when writing it again would change nothing: its raw bytes are a stored
 * raw record, and its message (if any) is stored in the same session with the same content hash,
 * so the store would only call it a duplicate. The raw bytes are hashed before redaction: a
 * record the redactor would rewrite was stored under another hash, so it is never found here and
 * always goes the whole way. A message id met earlier in the document is never unchanged: the
 * earlier copy may be written over the stored version, and the later one must follow it as today.
 * Nor is a message calling a tool whose result comes in a later message: the pipeline's tools
 * enricher must see the call to name the result's tool (Gemini keeps both in one message).
 * Session patches, usage and images are still applied by the caller (`Ingestor.addUnchanged`).
 */
export class UnchangedRecords {
  private readonly store: Store;
  private readonly projectId: number;
  private readonly source: string;
  private readonly seen = new Set<string>();

  constructor(store: Store, projectId: number, source: string) {
    this.store = store;
    this.projectId = projectId;
    this.source = source;
  }

  /** One flag per item, in order: true when the store holds the item as it is. */
  async judge(items: readonly DocumentItem[]): Promise<boolean[]> {
    const hashes = new Map<RawOrigin, string>();
    const ids: string[] = [];
    for (const { record, origin } of items) {
      if (!hashes.has(origin)) hashes.set(origin, rawHash(origin.bytes));
      if (record.message?.source === this.source) ids.push(record.message.externalId);
    }
    const stored = await this.store.storedVersions({
      projectId: this.projectId,
      source: this.source,
      rawHashes: [...new Set(hashes.values())],
      messageExternalIds: ids,
    });
    return items.map(({ record, origin }) => {
      const message = record.message;
      if (message !== null) {
        const repeated = this.seen.has(message.externalId);
        this.seen.add(message.externalId);
        if (repeated || message.source !== this.source || !callsAnsweredWithin(message)) return false;
        const version = stored.messages.get(message.externalId);
        if (version === undefined || version.contentHash !== message.contentHash) return false;
        if (version.sessionId !== sessionIdFor(this.projectId, message.source, message.sessionExternalId))
          return false;
      }
      return stored.rawHashes.has(hashes.get(origin)!);
    });
  }
}

/** Whether every tool the message calls is answered in the message itself. */
function callsAnsweredWithin(message: MessageInput): boolean {
  const calls = message.blocks.filter((b) => b.type === 'tool_use');
  if (calls.length === 0) return true;
  const answered = new Set(message.blocks.flatMap((b) => (b.type === 'tool_result' ? [b.toolUseId] : [])));
  return calls.every((call) => answered.has(call.id));
}
