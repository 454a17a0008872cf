import { text } from 'node:stream/consumers';
import type { Message } from '../domain/message.ts';
import type { Run } from '../domain/run.ts';
import type { BlobStore, Store } from '../storage/ports.ts';
import { readConversationJson } from './conversation-file.ts';
import { runKeys } from './run-keys.ts';
import type { RunMetadata } from './run-metadata.ts';

export type ConversationSource = {
  messages: AsyncIterable<Message>;
  key: string | null;
  /** Why there is no conversation (or only the store's copy); null when the captured copy was read. */
  problem: string | null;
};

async function* none(): AsyncIterable<Message> {}

/**
 * The conversation a run was launched from: the copy captured at launch (the chain of custody),
 * else the session as the store has it now, else nothing, with the reason.
 */
export async function openConversation(
  store: Store,
  blobs: BlobStore,
  run: Run,
): Promise<ConversationSource> {
  const key = run.conversationKey;
  let problem: string | null = null;
  if (key !== null) {
    try {
      const bytes = await blobs.get(key);
      const reader = bytes === null ? null : await readConversationJson(bytes);
      if (reader !== null) return { messages: reader.messages, key, problem: null };
      problem = bytes === null ? `${key} is not in the blob store` : `${key} could not be read`;
    } catch (error) {
      problem = `${key} could not be read: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  if (run.sessionId !== null && (await store.getSession(run.sessionId)) !== null) {
    return { messages: store.messages(run.sessionId), key, problem: problem ?? null };
  }
  return { messages: none(), key, problem: problem ?? 'no conversation was captured for this run' };
}

/** The run's metadata.json (with the config copy), or null when it was not written or cannot be read. */
export async function readRunMetadata(blobs: BlobStore, run: Run): Promise<RunMetadata | null> {
  try {
    const bytes = await blobs.get(runKeys.metadata(run.launchType, run.id));
    return bytes === null ? null : (JSON.parse(await text(bytes)) as RunMetadata);
  } catch {
    return null;
  }
}
