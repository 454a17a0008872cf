import { randomBytes } from 'node:crypto';
import { AgentlogError } from '../domain/errors.ts';
import { sessionIdFor } from '../domain/ids.ts';
import type { Message } from '../domain/message.ts';
import type { GroupCommitter } from '../ingest/group-commit.ts';
import type { HistoryMessage, MessageSpan, Store } from '../storage/ports.ts';
import { chooseWindow, measurer, windowMessages, windowText, type Measured } from './context-window.ts';
import { historyCount, hotWindow, newestPages, notesOf } from './history.ts';
import {
  addMessageSchema,
  branchSchema,
  contextOptionsSchema,
  editMessageSchema,
  parseMemoryInput,
  pinSchema,
  recentOptionsSchema,
  retentionSchema,
  searchOptionsSchema,
  sessionRefSchema,
  type AddMessageInput,
  type AddResult,
  type ContextOptions,
  type ContextResult,
  type EditResult,
  type ExportFormat,
  type MemoryMessage,
  type MemorySession,
  type RecentResult,
  type Retention,
  type RevisionsResult,
  type SearchResult,
} from './memory-contract.ts';
import { branchPatch } from './memory-branch.ts';
import { exportStream, toMemoryMessage } from './memory-export.ts';
import {
  countContent,
  editItem,
  memorySource,
  messageItem,
  publicMetadata,
  sessionItem,
  sessionPatch,
  toBlocks,
  type MessageDraft,
} from './memory-records.ts';
import {
  findSession,
  lineageOf,
  requireMemorySession,
  requireSession,
  toMemorySession,
  type Lineage,
} from './memory-sessions.ts';
import { commitItems } from './memory-writer.ts';
import { importTokenCounter, tokenEncoding, type CountTokens } from './token-count.ts';

export type SessionMemoryDeps = {
  store: Store;
  committer: GroupCommitter;
  projectId: number;
  /** Releases what this memory owns (the library's own store and committer); nothing by default. */
  close?: () => Promise<void>;
};

/** Where `search` looks: one session's history (its shared part included) or the whole project. */
export type SearchScope = 'project' | { session: string };

const randomId = () => randomBytes(10).toString('base64url');

/**
 * How many history rows to read next for a context window: enough for the budget left at the
 * average size seen so far (before any, `guess`), and one more to learn the window is full.
 */
function pageFor(
  options: { maxTokens: number; maxMessages?: number | undefined },
  read: number,
  seen: { messages: number; tokens: number },
  guess: number,
): number {
  const average = seen.messages === 0 ? guess : Math.max(1, seen.tokens / seen.messages);
  const byTokens = Math.ceil(Math.max(0, options.maxTokens - seen.tokens) / average) + 2;
  const byCount = options.maxMessages === undefined ? byTokens : options.maxMessages + 1 - read;
  return Math.max(4, Math.min(byTokens, byCount));
}

function truncatedIn(messages: readonly Measured[]): number {
  let n = 0;
  for (const m of messages) if (m.truncated) n++;
  return n;
}

/**
 * Session memory: a conversation's history kept for the agent that has it, and the context for
 * its next model call. Every write goes through the group committer and is durable when the call
 * returns; reads see the session's hot window (its retention policy) and a branch's shared history.
 */
export class SessionMemory {
  private readonly store: Store;
  private readonly committer: GroupCommitter;
  private readonly projectId: number;
  private readonly release: () => Promise<void>;
  private counter: Promise<CountTokens> | null = null;
  private readonly labelTokens = new Map<string, number>();
  /** Tokens a history message takes, on average over the windows built so far: the first read's size. */
  private averageTokens = 64;

  constructor(deps: SessionMemoryDeps) {
    this.store = deps.store;
    this.committer = deps.committer;
    this.projectId = deps.projectId;
    this.release = deps.close ?? (async () => {});
  }

  private tokenCounter(): Promise<CountTokens> {
    this.counter ??= importTokenCounter();
    return this.counter;
  }

  /** Stores a message at the end of the session's history, creating the session if it is new. */
  async addMessage(session: string, input: AddMessageInput): Promise<AddResult> {
    const name = parseMemoryInput(sessionRefSchema, session, 'session');
    const message = parseMemoryInput(addMessageSchema, input, 'message');
    const target = await this.writable(name, true);
    const blocks = toBlocks(message.content);
    const draft: MessageDraft = {
      session: target.externalId,
      externalId: `${target.id}:${message.id ?? `m_${randomId()}`}`,
      role: message.role,
      kind: message.role === 'tool' ? 'tool_result' : 'message',
      blocks,
      agent: message.agent ?? null,
      metadata: message.metadata ?? {},
      tokens: countContent(blocks, await this.tokenCounter()),
      at: Date.now(),
    };
    const [outcome] = await commitItems(this.committer, this.projectId, [
      messageItem(draft, { session: name, ...message }),
    ]);
    const stored = await this.stored(draft.externalId);
    return { message: toMemoryMessage(stored), status: outcome === 'duplicate' ? 'duplicate' : 'stored' };
  }

  /** The newest messages of the hot window, the most recent last. */
  async recentMessages(session: string, options: { limit?: number } = {}): Promise<RecentResult> {
    const { limit } = parseMemoryInput(recentOptionsSchema, options, 'options');
    const lineage = await this.lineage(session);
    const take = lineage.keepLast === null ? limit : Math.min(limit, lineage.keepLast);
    const messages: MemoryMessage[] = [];
    for await (const page of newestPages(this.store, lineage.spans, take, () => take))
      for (const m of page) messages.push(toMemoryMessage(m));
    return { sessionId: lineage.session.id, messages: messages.reverse() };
  }

  /** The newest history that fits the budget, after the session's pinned notes; says what it left out. */
  async context(session: string, options: ContextOptions): Promise<ContextResult> {
    const opts = parseMemoryInput(contextOptionsSchema, options, 'options');
    const lineage = await this.lineage(session);
    const notes = await notesOf(this.store, lineage);
    const total = historyCount(lineage, notes);
    const hot = hotWindow(lineage, total);
    const count = await this.tokenCounter();
    const windowOptions = { ...opts, maxMessages: opts.maxMessages ?? Number.MAX_SAFE_INTEGER };
    const measured = measurer(windowOptions, count, (label) => this.labelCount(label, count));
    const seen = { messages: 0, tokens: 0 };
    const measure = (message: HistoryMessage) => {
      const m = measured(message);
      seen.messages++;
      seen.tokens += m.tokens;
      return m;
    };
    const guess = this.averageTokens;
    const history = newestPages(this.store, lineage.spans, hot, (read) => pageFor(opts, read, seen, guess));
    const window = await chooseWindow(notes, history, windowOptions, measure);
    if (seen.messages > 0)
      this.averageTokens = 0.9 * this.averageTokens + 0.1 * (seen.tokens / seen.messages);
    const common = {
      sessionId: lineage.session.id,
      tokens: window.tokens,
      maxTokens: opts.maxTokens,
      encoding: tokenEncoding,
      included: window.history.length,
      pinned: window.notes.length,
      omitted: Math.max(0, total - window.history.length),
      archived: total - hot,
      truncated: truncatedIn(window.notes) + truncatedIn(window.history),
    };
    return opts.format === 'text'
      ? { format: 'text', text: windowText(window), ...common }
      : { format: 'messages', messages: windowMessages(window, opts.perMessageChars), ...common };
  }

  /** Messages holding all the words (archived ones too), best match first. */
  async search(scope: SearchScope, query: string, options: { limit?: number } = {}): Promise<SearchResult> {
    const { limit } = parseMemoryInput(searchOptionsSchema, options, 'options');
    if (typeof query !== 'string' || query.trim().length === 0)
      throw new AgentlogError('INVALID_ARGUMENT', 'The search query is empty.', {
        hint: 'Give the words to look for.',
      });
    let spans: MessageSpan[] | undefined;
    if (scope !== 'project') spans = (await this.lineage(scope.session)).spans;
    const hits = await this.store.searchMessages({
      projectId: this.projectId,
      text: query,
      limit,
      ...(spans ? { spans } : {}),
    });
    return { hits: hits.map((hit) => ({ message: toMemoryMessage(hit.message), snippet: hit.snippet })) };
  }

  /** Replaces a memory message's content; every earlier version is kept (see `revisions`). */
  async editMessage(id: number, content: AddMessageInput['content']): Promise<EditResult> {
    const edit = parseMemoryInput(editMessageSchema, { content }, 'edit');
    const current = await this.message(id);
    const owner = await this.store.getSession(current.sessionId);
    if (owner === null) throw new AgentlogError('INTERNAL', `Message ${id} has no session.`);
    requireMemorySession(owner);
    const blocks = toBlocks(edit.content);
    const tokens = countContent(blocks, await this.tokenCounter());
    const item = editItem(current, owner.externalId, blocks, tokens, { edit: id, content: edit.content });
    const [outcome] = await commitItems(this.committer, this.projectId, [item]);
    return { message: toMemoryMessage(await this.message(id)), changed: outcome === 'revised' };
  }

  /** A message with its earlier versions, oldest first. */
  async revisions(id: number): Promise<RevisionsResult> {
    const current = await this.message(id);
    const revisions = await this.store.messageRevisions(current.id);
    return {
      message: toMemoryMessage(current),
      revisions: revisions.map((r) => ({
        replacedAt: r.replacedAt,
        content: r.text,
        blocks: r.blocks,
        metadata: publicMetadata(r.meta),
      })),
    };
  }

  /** A new session sharing `session`'s history up to and including `fromMessageId`. */
  async branch(
    session: string,
    fromMessageId: number,
    options: { name?: string } = {},
  ): Promise<MemorySession> {
    const input = parseMemoryInput(branchSchema, { fromMessageId, ...options }, 'branch');
    const lineage = await this.lineage(session);
    const from = await this.message(input.fromMessageId);
    const name = input.name ?? `${lineage.session.externalId.slice(0, 400)}~${randomId()}`;
    const { patch, existing } = await branchPatch(this.store, lineage, from, name);
    if (existing !== null) return toMemorySession(existing);
    await commitItems(this.committer, this.projectId, [sessionItem(patch, { branch: session, ...input })]);
    return toMemorySession(
      await requireSession(this.store, this.projectId, sessionIdFor(this.projectId, memorySource, name)),
    );
  }

  /** The whole history, streamed: one JSON document, or Markdown. */
  async exportSession(session: string, format: ExportFormat): Promise<AsyncIterable<string>> {
    if (format !== 'json' && format !== 'markdown')
      throw new AgentlogError('INVALID_ARGUMENT', `Unknown export format "${String(format)}".`, {
        hint: 'Use json or markdown.',
      });
    const lineage = await this.lineage(session);
    const notes = await notesOf(this.store, lineage);
    const total = historyCount(lineage, notes);
    return exportStream(this.store, { lineage, notes, archived: total - hotWindow(lineage, total) }, format);
  }

  /** Pins a note to the session: every context window of it (and of its later branches) includes it. */
  async pin(session: string, note: string): Promise<MemoryMessage> {
    const input = parseMemoryInput(pinSchema, { note }, 'note');
    const target = await this.writable(parseMemoryInput(sessionRefSchema, session, 'session'), false);
    const blocks = toBlocks(input.note);
    const draft: MessageDraft = {
      session: target.externalId,
      externalId: `${target.id}:note_${randomId()}`,
      role: 'system',
      kind: 'note',
      blocks,
      agent: null,
      metadata: {},
      tokens: countContent(blocks, await this.tokenCounter()),
      at: Date.now(),
    };
    await commitItems(this.committer, this.projectId, [
      messageItem(draft, { pin: session, note: input.note }),
    ]);
    return toMemoryMessage(await this.stored(draft.externalId));
  }

  /** The pinned notes of the session's history, oldest first. */
  async pins(session: string): Promise<MemoryMessage[]> {
    const lineage = await this.lineage(session);
    return (await notesOf(this.store, lineage)).map(toMemoryMessage);
  }

  /** How many of the newest messages the hot window keeps (null: all); older ones stay stored, archived. */
  async setRetention(session: string, retention: Retention): Promise<MemorySession> {
    const { keepLast } = parseMemoryInput(retentionSchema, retention, 'retention');
    const target = await this.writable(parseMemoryInput(sessionRefSchema, session, 'session'), false);
    const patch = sessionPatch(target.externalId, { meta: { agentlog: { keepLast } } });
    await commitItems(this.committer, this.projectId, [sessionItem(patch, { retention: session, keepLast })]);
    return toMemorySession(await requireSession(this.store, this.projectId, target.id));
  }

  async getSession(session: string): Promise<MemorySession> {
    return toMemorySession(await requireSession(this.store, this.projectId, session));
  }

  /** Waits for pending writes and releases what this memory owns. */
  async close(): Promise<void> {
    await this.release();
  }

  private labelCount(label: string, count: CountTokens): number {
    let tokens = this.labelTokens.get(label);
    if (tokens === undefined) {
      tokens = count(label);
      if (this.labelTokens.size < 10_000) this.labelTokens.set(label, tokens);
    }
    return tokens;
  }

  private async lineage(session: string): Promise<Lineage> {
    const ref = parseMemoryInput(sessionRefSchema, session, 'session');
    return lineageOf(this.store, await requireSession(this.store, this.projectId, ref));
  }

  /** The memory session to write to: an existing one, or (when `create`) a new one by this name. */
  private async writable(ref: string, create: boolean): Promise<{ id: string; externalId: string }> {
    const found = await findSession(this.store, this.projectId, ref);
    if (found !== null) {
      requireMemorySession(found);
      return found;
    }
    if (!create || ref.startsWith('ses_')) return requireSession(this.store, this.projectId, ref);
    return { id: sessionIdFor(this.projectId, memorySource, ref), externalId: ref };
  }

  private async message(id: number): Promise<Message> {
    const message = Number.isSafeInteger(id) ? await this.store.getMessage(this.projectId, id) : null;
    if (message !== null) return message;
    throw new AgentlogError('NOT_FOUND', `No message ${id}.`, {
      hint: 'Message ids are the numbers `memory recent` shows.',
    });
  }

  private async stored(externalId: string): Promise<Message> {
    const message = await this.store.findMessage(this.projectId, memorySource, externalId);
    if (message === null)
      throw new AgentlogError('INTERNAL', `Message ${externalId} was committed but cannot be read.`);
    return message;
  }
}
