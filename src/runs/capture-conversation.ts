import type { Message } from '../domain/message.ts';
import type { Session } from '../domain/session.ts';
import { importFile } from '../ingest/import-file.ts';
import type { SourceEnv } from '../sources/source-format.ts';
import type { BlobStore, Store } from '../storage/ports.ts';
import { conversationFormat, conversationJson, type ConversationHeader } from './conversation-file.ts';
import { findLatestTranscript, findTranscriptOfSession, type FoundTranscript } from './find-transcript.ts';
import { runKeys } from './run-keys.ts';

export type CaptureTarget = { runId: string; chainId: string; launchType: string };

export type CaptureOptions = {
  store: Store;
  blobs: BlobStore;
  projectId: number;
  target: CaptureTarget;
  cwd: string;
  /** `--session`: a session id (ours or the agent's) or a unique start of one. */
  sessionRef: string | undefined;
  env: SourceEnv;
};

/** The copy of the conversation in the blob store. */
export type ConversationCopy = { key: string; location: string; messages: number };

/**
 * What the capture found: the session (linked to the run even when its copy could not be
 * written), the copy, and the reason for whatever is missing.
 */
export type CaptureOutcome = {
  session: Session | null;
  transcript: string | null;
  copy: ConversationCopy | null;
  problem: string | null;
};

/** How far back resumed and forked sessions are followed. */
const maxAncestors = 8;

/**
 * Finds the conversation that launched a run, imports its transcript through the one write path
 * (so the store has it too), and copies it to the blob store as `conversation.json`. Every
 * failure is a reason, never an exception: a capture problem must not stop the run.
 */
export async function captureConversation(options: CaptureOptions): Promise<CaptureOutcome> {
  let located: Located;
  try {
    located = await locateSession(options);
  } catch (error) {
    located = { ok: false, reason: reasonOf(error) };
  }
  if (!located.ok) return { session: null, transcript: null, copy: null, problem: located.reason };
  const { session, transcript } = located;
  try {
    return {
      session,
      transcript,
      copy: await writeConversation(options, session, transcript),
      problem: null,
    };
  } catch (error) {
    return { session, transcript, copy: null, problem: reasonOf(error) };
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Located = { ok: true; session: Session; transcript: string | null } | { ok: false; reason: string };

async function locateSession(options: CaptureOptions): Promise<Located> {
  const { store, projectId, sessionRef } = options;
  const found =
    sessionRef === undefined
      ? await findLatestTranscript(options.cwd, options.env)
      : await findTranscriptOfSession(sessionRef, options.env);
  if (found !== null) {
    const outcome = await importFile({ store, projectId, format: found.format, path: found.path });
    if (outcome.status === 'skipped')
      return { ok: false, reason: `${found.path} could not be imported: ${outcome.reason}` };
  }
  if (sessionRef !== undefined) return sessionByRef(store, projectId, sessionRef, found);
  if (found === null) {
    return {
      ok: false,
      reason: `no Claude Code, Codex or Gemini CLI session was found whose working directory is ${options.cwd}`,
    };
  }
  if (found.sessionId === null) return { ok: false, reason: `${found.path} names no session id` };
  const matches = (await store.findSessions(projectId, found.sessionId)).filter(
    (s) => s.source === found.format.name && s.externalId === found.sessionId,
  );
  if (matches.length === 0)
    return { ok: false, reason: `${found.path} holds no session agentlog could read` };
  return { ok: true, session: matches[0]!, transcript: found.path };
}

async function sessionByRef(
  store: Store,
  projectId: number,
  ref: string,
  found: FoundTranscript | null,
): Promise<Located> {
  const sessions = await store.findSessions(projectId, ref);
  if (sessions.length === 1) return { ok: true, session: sessions[0]!, transcript: found?.path ?? null };
  if (sessions.length === 0) return { ok: false, reason: `no session matches --session ${ref}` };
  return { ok: false, reason: `--session ${ref} matches ${sessions.length} sessions; give more of the id` };
}

async function ancestorsOf(store: Store, session: Session): Promise<Session[]> {
  const chain: Session[] = [];
  const seen = new Set([session.id]);
  let next = session.forkedFromSessionId;
  while (next !== null && chain.length < maxAncestors && !seen.has(next)) {
    seen.add(next);
    const parent = await store.getSession(next);
    if (parent === null) break;
    chain.unshift(parent);
    next = parent.forkedFromSessionId;
  }
  return chain;
}

async function writeConversation(
  options: CaptureOptions,
  session: Session,
  transcript: string | null,
): Promise<ConversationCopy> {
  const { store, blobs, target } = options;
  const ancestors = await ancestorsOf(store, session);
  const header: ConversationHeader = {
    format: conversationFormat,
    runId: target.runId,
    chainId: target.chainId,
    capturedAt: new Date().toISOString(),
    transcript,
    session,
    ancestors,
  };
  let count = 0;
  async function* messages(): AsyncIterable<Message> {
    for (const s of [...ancestors, session]) {
      for await (const message of store.messages(s.id)) {
        count++;
        yield message;
      }
    }
  }
  const key = runKeys.conversation(target.launchType, target.runId);
  const stored = await blobs.put(key, conversationJson(header, messages()));
  return { key, location: stored.location, messages: count };
}
