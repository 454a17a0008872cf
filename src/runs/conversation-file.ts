import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { Message } from '../domain/message.ts';
import type { Session } from '../domain/session.ts';

export const conversationFormat = 'agentlog-conversation/1';

/** `conversation.json` without its messages: what was captured, from where, for which run. */
export type ConversationHeader = {
  format: typeof conversationFormat;
  runId: string;
  chainId: string;
  capturedAt: string;
  /** The agent's transcript file the session was read from, when one was. */
  transcript: string | null;
  session: Session;
  /** The sessions this one was resumed or forked from, oldest first; their messages come first. */
  ancestors: Session[];
};

const messagesOpen = ',"messages":[';
const chunkChars = 64 * 1024;

/**
 * `conversation.json`, streamed: an ordinary JSON document laid out one message per line, so
 * it is written and read back without holding the conversation in memory.
 */
export async function* conversationJson(
  header: ConversationHeader,
  messages: AsyncIterable<Message>,
): AsyncIterable<string> {
  let pending = `${JSON.stringify(header).slice(0, -1)}${messagesOpen}\n`;
  let first = true;
  for await (const message of messages) {
    pending += `${first ? '' : ',\n'}${JSON.stringify(message)}`;
    first = false;
    // Many messages per write: one small chunk per message costs more than the JSON itself.
    if (pending.length >= chunkChars) {
      yield pending;
      pending = '';
    }
  }
  yield `${pending}${first ? '' : '\n'}]}\n`;
}

export type ConversationReader = { header: ConversationHeader; messages: AsyncIterable<Message> };

/**
 * Reads a `conversation.json` written by conversationJson line by line. Returns null when the
 * bytes are not laid out that way (a file edited by hand: the caller may parse it whole).
 */
export async function readConversationJson(
  bytes: AsyncIterable<Uint8Array>,
): Promise<ConversationReader | null> {
  const lines = createInterface({ input: Readable.from(bytes), crlfDelay: Infinity })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done === true || !first.value.endsWith(messagesOpen)) {
    await lines.return?.();
    return null;
  }
  let header: ConversationHeader;
  try {
    header = JSON.parse(`${first.value.slice(0, -messagesOpen.length)}}`) as ConversationHeader;
  } catch {
    await lines.return?.();
    return null;
  }
  async function* messages(): AsyncIterable<Message> {
    try {
      for (;;) {
        const next = await lines.next();
        if (next.done === true || next.value.startsWith(']}')) return;
        const text = next.value.endsWith(',') ? next.value.slice(0, -1) : next.value;
        yield JSON.parse(text) as Message;
      }
    } finally {
      await lines.return?.();
    }
  }
  return { header, messages: messages() };
}
