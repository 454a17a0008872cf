import type { Block } from '../../src/domain/blocks.ts';
import type { MessageKind, Role } from '../../src/domain/message.ts';
import { Ingestor } from '../../src/ingest/ingestor.ts';
import { contentHash } from '../../src/sources/shared/content-hash.ts';
import type { ParsedRecord } from '../../src/sources/source-format.ts';
import type { Store, WriteBatch } from '../../src/storage/ports.ts';

export type SeedMessage = {
  session: string;
  id: string;
  role: Role;
  text?: string;
  blocks?: Block[];
  kind?: MessageKind;
  speaker?: string;
  model?: string;
  timestamp: number | null;
  usage?: { input: number; output: number };
};

function record(source: string, m: SeedMessage, seq: number): ParsedRecord {
  const blocks = m.blocks ?? [{ type: 'text', text: m.text ?? '' }];
  const text = blocks.map((b) => (b.type === 'text' ? b.text : '')).join('\n');
  return {
    recordType: 'message',
    sessionExternalId: m.session,
    sessions: [
      { source, externalId: m.session, ...(m.timestamp === null ? {} : { timestamp: m.timestamp }) },
    ],
    message: {
      source,
      sessionExternalId: m.session,
      externalId: m.id,
      parentExternalId: null,
      role: m.role,
      kind: m.kind ?? 'message',
      speaker: m.speaker === undefined ? null : { name: m.speaker, role: 'member' },
      blocks,
      text,
      model: m.model ?? null,
      usage: null,
      responseId: null,
      timestamp: m.timestamp,
      seq,
      contentHash: contentHash(m.role, blocks),
      meta: {},
    },
    usage:
      m.usage === undefined || m.timestamp === null
        ? null
        : {
            dedupKey: m.id,
            model: m.model ?? null,
            timestamp: m.timestamp,
            inputTokens: m.usage.input,
            outputTokens: m.usage.output,
            cacheCreationTokens: 0,
            cacheReadTokens: 0,
          },
    images: [],
    problem: null,
  };
}

/** Stores messages the way every importer does: through the Ingestor (redaction, enrichment, raw kept). */
export async function ingest(
  store: Store,
  projectId: number,
  source: string,
  messages: SeedMessage[],
): Promise<void> {
  const ingestor = new Ingestor(store, projectId, source);
  messages.forEach((m, i) => {
    const raw = new TextEncoder().encode(JSON.stringify(m));
    ingestor.add(record(source, m, i), { bytes: raw, line: i + 1, offset: i * 100 });
  });
  await ingestor.flush();
}

/** Stores messages with no enrichment at all (as written before enrichment existed). */
export async function writeBare(
  store: Store,
  projectId: number,
  source: string,
  messages: SeedMessage[],
): Promise<void> {
  const batch: WriteBatch = {
    projectId,
    sessions: [],
    raw: [],
    messages: [],
    usage: [],
    blobs: [],
    fileStates: [],
  };
  messages.forEach((m, i) => {
    const r = record(source, m, i);
    batch.sessions.push(...r.sessions);
    batch.messages.push({ ...r.message!, rawHash: null });
    if (r.usage !== null) batch.usage.push({ source, sessionExternalId: m.session, ...r.usage });
  });
  await store.write(batch);
}
