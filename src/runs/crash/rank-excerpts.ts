import { countTokens, decode, encode } from 'gpt-tokenizer';
import type { Block } from '../../domain/blocks.ts';
import type { Message } from '../../domain/message.ts';

/** A word to look for in the conversation and how much finding it says about the crash. */
export type WeightedTerm = { term: string; weight: number };

/** A conversation turn chosen for the crash prompt. `n` numbers it in the prompt (`[#3]`). */
export type Excerpt = {
  n: number;
  messageId: number;
  sessionId: string;
  role: string;
  timestamp: string | null;
  score: number;
  tokens: number;
  text: string;
};

export type RankOptions = {
  terms: readonly WeightedTerm[];
  /** Tokens all excerpts together may use. */
  budgetTokens: number;
  /** The last turns are kept as candidates whatever they say: they are what launched the run. */
  recentTurns?: number;
};

type Candidate = { position: number; message: Message; text: string; score: number };

const maxCandidates = 60;
const maxScoredChars = 20_000;
const clipChars = { tool: 600, thinking: 400 };
const roleWeight: Record<string, number> = { user: 1.5, assistant: 1, tool: 0.6, system: 0.3 };

/** A message as the prompt shows it: its text, and short forms of tool calls and results. */
export function promptText(message: Message): string {
  const parts: string[] = [];
  for (const block of message.blocks) {
    const part = blockText(block);
    if (part.length > 0) parts.push(part);
  }
  return parts.length > 0 ? parts.join('\n') : message.text;
}

function blockText(block: Block): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'thinking':
      return block.thinking.length === 0 ? '' : `[thinking] ${clip(block.thinking, clipChars.thinking)}`;
    case 'tool_use':
      return `[tool ${block.name}] ${clip(JSON.stringify(block.input) ?? '', clipChars.tool)}`;
    case 'tool_result': {
      const content =
        typeof block.content === 'string'
          ? block.content
          : block.content.map((b) => (b.type === 'text' ? b.text : `[${b.type}]`)).join('\n');
      return `[tool result${block.isError ? ', error' : ''}] ${clip(content, clipChars.tool)}`;
    }
    case 'image':
      return `[image ${block.mediaType}]`;
    case 'other':
      return '';
    default:
      return block satisfies never;
  }
}

function clip(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, chars)}…`;
}

function escape(term: string): string {
  return term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Short terms must stand alone (`lr` is not in "larger"); longer ones may sit inside identifiers. */
function matcher(term: string): RegExp {
  const body = escape(term.toLowerCase());
  return term.length <= 4 ? new RegExp(`(?<![a-z0-9])${body}(?![a-z0-9])`, 'g') : new RegExp(body, 'g');
}

function scoreText(text: string, terms: readonly { pattern: RegExp; weight: number }[]): number {
  const lower = text.slice(0, maxScoredChars).toLowerCase();
  let score = 0;
  for (const { pattern, weight } of terms) {
    const count = lower.match(pattern)?.length ?? 0;
    if (count > 0) score += weight * (1 + Math.log2(Math.min(count, 8)) / 2);
  }
  return score;
}

/**
 * Picks the conversation turns most related to the crash: each message is scored by the crash
 * terms it contains (weighted by role: what the user asked for weighs most), the best fill the
 * token budget, and they are returned in conversation order. Messages stream past; only the
 * best candidates and the last turns are held.
 */
export async function rankExcerpts(
  messages: AsyncIterable<Message>,
  options: RankOptions,
): Promise<Excerpt[]> {
  const terms = options.terms.map((t) => ({ pattern: matcher(t.term), weight: t.weight }));
  const recentTurns = options.recentTurns ?? 2;
  const best: Candidate[] = [];
  const recent: Candidate[] = [];
  let position = 0;
  for await (const message of messages) {
    const text = promptText(message).trim();
    if (text.length === 0) continue;
    const weight = message.kind === 'tool_result' ? 0.6 : (roleWeight[message.role] ?? 1);
    const candidate = { position: position++, message, text, score: scoreText(text, terms) * weight };
    if (message.role === 'user' && message.kind === 'message') {
      recent.push(candidate);
      if (recent.length > recentTurns) recent.shift();
    }
    if (candidate.score > 0) keepBest(best, candidate);
  }
  // The last requests before the launch matter even when they share no word with the error.
  const pool = new Map<number, Candidate>();
  for (const c of best) pool.set(c.position, c);
  for (const c of recent) pool.set(c.position, { ...c, score: c.score + 1 });
  const chosen = fillBudget([...pool.values()], options.budgetTokens);
  chosen.sort((a, b) => a.candidate.position - b.candidate.position);
  return chosen.map(({ candidate, text, tokens }, i) => ({
    n: i + 1,
    messageId: candidate.message.id,
    sessionId: candidate.message.sessionId,
    role: candidate.message.role,
    timestamp:
      candidate.message.timestamp === null ? null : new Date(candidate.message.timestamp).toISOString(),
    score: Math.round(candidate.score * 100) / 100,
    tokens,
    text,
  }));
}

function keepBest(best: Candidate[], candidate: Candidate): void {
  if (best.length >= maxCandidates && candidate.score <= best.at(-1)!.score) return;
  let i = best.length;
  while (i > 0 && best[i - 1]!.score < candidate.score) i--;
  best.splice(i, 0, candidate);
  if (best.length > maxCandidates) best.pop();
}

function fillBudget(pool: Candidate[], budget: number) {
  pool.sort((a, b) => b.score - a.score || b.position - a.position);
  const perExcerpt = Math.max(120, Math.min(800, Math.floor(budget / 3)));
  const chosen: { candidate: Candidate; text: string; tokens: number }[] = [];
  let used = 0;
  for (const candidate of pool) {
    const { text, tokens } = clipTokens(candidate.text, perExcerpt);
    if (used + tokens > budget) continue;
    chosen.push({ candidate, text, tokens });
    used += tokens;
  }
  return chosen;
}

/** `text` cut to at most `max` tokens (marked with an ellipsis when cut). */
export function clipTokens(text: string, max: number): { text: string; tokens: number } {
  // Counting a very long text is costly: cut by characters first (a token is rarely over 8).
  const rough = text.length > max * 8 ? text.slice(0, max * 8) : text;
  const tokens = encode(rough);
  if (tokens.length <= max && rough === text) return { text, tokens: tokens.length };
  const cut = `${decode(tokens.slice(0, Math.max(0, max - 2)))}…`;
  return { text: cut, tokens: countTokens(cut) };
}
