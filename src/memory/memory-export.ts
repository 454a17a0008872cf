import { createMarkdownRenderer, sessionHeader } from '../analytics/session-markdown.ts';
import type { HistoryMessage, Store } from '../storage/ports.ts';
import type { ExportFormat, MemoryMessage } from './memory-contract.ts';
import { publicMetadata } from './memory-records.ts';
import { toMemorySession, type Lineage } from './memory-sessions.ts';
import { contentOf } from './render.ts';

/** A stored message as memory shows it: the caller's metadata, agentlog's own fields left out. */
export function toMemoryMessage(message: HistoryMessage): MemoryMessage {
  const prefix = `${message.sessionId}:`;
  return {
    id: message.id,
    externalId: message.externalId.startsWith(prefix)
      ? message.externalId.slice(prefix.length)
      : message.externalId,
    sessionId: message.sessionId,
    role: message.role,
    kind: message.kind,
    agent: message.speaker?.name ?? null,
    content: contentOf(message),
    blocks: message.blocks,
    metadata: publicMetadata(message.meta),
    createdAt: message.timestamp,
  };
}

/** What an export is made of: the history, its pinned notes, and how many of its oldest are archived. */
export type ExportSource = { lineage: Lineage; notes: readonly HistoryMessage[]; archived: number };

/** The history oldest first, the shared part of a branch included, each message said archived or not. */
async function* stitched(store: Store, source: ExportSource) {
  let position = 0;
  for (const span of source.lineage.spans.toReversed()) {
    for await (const message of store.spanMessages(span)) {
      if (message.kind === 'note') continue;
      yield { message, archived: position++ < source.archived };
    }
  }
}

async function* jsonExport(store: Store, source: ExportSource): AsyncIterable<string> {
  const session = JSON.stringify(toMemorySession(source.lineage.session));
  yield `{"session":${session},"pins":${JSON.stringify(source.notes.map(toMemoryMessage))},"messages":[`;
  let separator = '';
  for await (const { message, archived } of stitched(store, source)) {
    yield `${separator}${JSON.stringify({ ...toMemoryMessage(message), archived })}`;
    separator = ',';
  }
  yield ']}\n';
}

async function* markdownExport(store: Store, source: ExportSource): AsyncIterable<string> {
  yield sessionHeader(source.lineage.session);
  const { branchOf, retention } = toMemorySession(source.lineage.session);
  if (branchOf !== null) yield `- **Branch of:** ${branchOf.sessionId}, from message ${branchOf.messageId}\n`;
  if (retention.keepLast !== null)
    yield `- **Hot window:** the last ${retention.keepLast} messages (${source.archived} archived)\n`;
  if (source.notes.length > 0) {
    yield '\n## Pinned notes\n\n';
    for (const note of source.notes) yield `- ${note.text.replaceAll('\n', ' ')}\n`;
  }
  yield '\n';
  const render = createMarkdownRenderer();
  let wasArchived = false;
  for await (const { message, archived } of stitched(store, source)) {
    if (wasArchived && !archived)
      yield '---\n\n*The messages above are archived: kept, but no longer in recent history or context.*\n\n';
    wasArchived = archived;
    const text = render(message);
    if (text.length > 0) yield `${text}\n`;
  }
}

export function exportStream(
  store: Store,
  source: ExportSource,
  format: ExportFormat,
): AsyncIterable<string> {
  return format === 'json' ? jsonExport(store, source) : markdownExport(store, source);
}
