import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A Gemini CLI legacy chat (one JSON document the CLI rewrites whole), built in memory so a test
 * or a measurement can grow it and fill in tool results like the CLI does between rewrites.
 */
export type LegacyChat = {
  sessionId: string;
  projectHash: string;
  startTime: string;
  lastUpdated: string;
  messages: Record<string, unknown>[];
};

const session = '5e55a000-0000-4000-8000-0000000000aa';
const t0 = Date.parse('2026-01-05T09:00:00.000Z');
const words =
  'the build fails because a module cannot be resolved from the test folder so we read the config and change the import path then run the suite again until every case passes and the linter is quiet'.split(
    ' ',
  );

export const messageId = (n: number) => `c0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const at = (n: number) => new Date(t0 + n * 1000).toISOString();

/** Deterministic prose of about `bytes` bytes, different for each `seed`. */
function prose(seed: number, bytes: number): string {
  const out: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const word = words[(seed * 7 + i * 13 + Math.floor(i / words.length)) % words.length]!;
    out.push(i % 17 === 0 ? `${word}${seed}.` : word);
    length += word.length + 1;
  }
  return out.join(' ');
}

/**
 * Message `n` (1-based): odd ones are the user's, even ones the model's; every fourth is a tool
 * call, left without its result when `pending` (the CLI writes the call first, the result later).
 */
export function chatMessage(n: number, bytes: number, pending = false): Record<string, unknown> {
  const base = { id: messageId(n), timestamp: at(n) };
  if (n % 2 === 1) return { ...base, type: 'user', content: prose(n, bytes) };
  const reply = {
    ...base,
    type: 'gemini',
    content: n % 4 === 0 ? '' : prose(n, bytes),
    thoughts: [{ subject: 'Planning', description: prose(n + 1, 200), timestamp: at(n) }],
    model: 'gemini-2.5-pro',
    tokens: { input: 1000 + n, output: 50, cached: 0, thoughts: 10, tool: 0, total: 1060 + n },
  };
  if (n % 4 !== 0) return reply;
  const call = {
    id: `read_file-${t0 + n}-${n}`,
    name: 'read_file',
    args: { file_path: `/home/dev/app/src/file${n}.ts` },
    status: pending ? 'executing' : 'success',
    timestamp: at(n),
    displayName: 'ReadFile',
    description: 'Reads a file.',
    renderOutputAsMarkdown: true,
  };
  const result = [
    { functionResponse: { id: call.id, name: 'read_file', response: { output: prose(n + 2, bytes) } } },
  ];
  return { ...reply, toolCalls: [pending ? call : { ...call, result }] };
}

/** A chat of `count` messages of about `bytes` each; the last one a pending tool call if `pendingLast`. */
export function legacyChat(count: number, bytes: number, pendingLast = false): LegacyChat {
  const messages = Array.from({ length: count }, (_, i) =>
    chatMessage(i + 1, bytes, pendingLast && i === count - 1),
  );
  return {
    sessionId: session,
    projectHash: 'a'.repeat(64),
    startTime: at(0),
    lastUpdated: at(count),
    messages,
  };
}

/** The chat as the CLI writes it: pretty-printed. */
export const chatText = (chat: LegacyChat) => JSON.stringify(chat, null, 2);

/** Where Gemini CLI keeps a legacy chat under `root`: `tmp/<project>/chats/session-….json`. */
export function legacyChatPath(root: string): string {
  const chats = join(root, 'tmp', 'a'.repeat(16), 'chats');
  mkdirSync(chats, { recursive: true });
  return join(chats, 'session-2026-01-05T09-00-5e55a000.json');
}

export const legacySessionId = session;
