import type { AssistantMessage, ChatMessage } from '../example.ts';
import { repetitionRatio } from './repetition.ts';

/** The components of an example's quality score, each from 0 (bad) to 1 (good). docs/DATASETS.md. */
export type QualityComponents = {
  structure: number;
  length: number;
  toolErrors: number;
  repetition: number;
  refusals: number;
  truncation: number;
};

export type Quality = { score: number; components: QualityComponents };

/** Bump when a component or weight changes: manifests record it, so old builds stay explained. */
export const qualityVersion = 1;

const weights: QualityComponents = {
  structure: 0.25,
  length: 0.15,
  toolErrors: 0.15,
  repetition: 0.15,
  refusals: 0.15,
  truncation: 0.15,
};

/** Repetition is judged on this much of the trained prose (a sample is enough to see a loop). */
const repetitionWindow = 8192;
const refusal =
  /\b(?:I can(?:no|')t (?:help|assist) with|I(?:'m| am) sorry, but|I(?:'m| am) (?:not able|unable) to (?:help|assist)|As an AI\b|I won't be able to)/i;
const interrupted = /\[Request interrupted by user[^\]]*\]/;
/** A refusal says so at once: only the start of an answer is searched. */
const refusalWindow = 400;
const toolFailure =
  /Traceback \(most recent call last\)|command not found|No such file or directory|Process exited with code [1-9]|exit(?:ed with)? code:? [1-9]|^(?:Error|error|ERROR)[: ]/m;
/** What conversation.ts writes where it cut a tool output. */
const truncatedMarker = ' characters truncated …]\n';
/** Error signatures sit near the start of an output; a giant log is not scanned whole. */
const scanned = 4096;

/**
 * Scores one example (see docs/DATASETS.md, "Quality"): the weighted mean of the components,
 * halved for each component at 0, and 0 when the structure is broken.
 */
export function scoreExample(messages: readonly ChatMessage[]): Quality {
  const assistants = messages.filter((m): m is AssistantMessage => m.role === 'assistant');
  const trained = assistants.filter((m) => m.weight === 1);
  const components: QualityComponents = {
    structure: structure(messages, trained),
    length: length(trained),
    toolErrors: toolErrors(messages),
    repetition: repetition(trained),
    refusals: refusals(messages, trained),
    truncation: truncation(messages),
  };
  let score = 0;
  let zeros = 0;
  for (const key of Object.keys(weights) as (keyof QualityComponents)[]) {
    score += weights[key] * components[key];
    if (components[key] === 0) zeros++;
  }
  // A component at 0 is a disqualifying signal (a final refusal, every tool call failed, a trivial
  // answer): each halves the score; a broken structure makes it 0.
  score = components.structure === 0 ? 0 : score * 0.5 ** zeros;
  return { score: round(score), components: roundAll(components) };
}

/** A user message before the first assistant answer, something trained, a final answer last. */
function structure(messages: readonly ChatMessage[], trained: readonly AssistantMessage[]): number {
  const turns = messages.filter((m) => m.role !== 'system');
  if (!turns.some((m) => m.role === 'user') || trained.length === 0) return 0;
  let score = 1;
  if (turns[0]?.role !== 'user') score *= 0.5;
  const last = turns.at(-1);
  if (last?.role !== 'assistant' || last.toolCalls.length > 0) score *= 0.5;
  return score;
}

/** Trained tokens: nothing below 5, full marks from 50. */
function length(trained: readonly AssistantMessage[]): number {
  let tokens = 0;
  // About four characters a token: enough to tell a one-word reply from an answer.
  for (const m of trained) tokens += Math.ceil(m.content.length / 4) + m.toolCalls.length * 5;
  if (tokens < 5) return 0;
  return Math.min(1, (tokens - 5) / 45);
}

/** 1 − the share of tool results that failed; a session that recovers (last result fine) keeps 0.5. */
function toolErrors(messages: readonly ChatMessage[]): number {
  const results = messages.filter((m) => m.role === 'tool');
  if (results.length === 0) return 1;
  const failed = (m: ChatMessage) =>
    m.role === 'tool' && (m.isError || toolFailure.test(m.content.slice(0, scanned)));
  const ratio = results.filter(failed).length / results.length;
  const recovered = !failed(results.at(-1)!);
  return recovered ? Math.max(1 - ratio, 0.5) : 1 - ratio;
}

/** Gopher repetition of the trained prose, and agent loops (one call repeated 3 times running). */
function repetition(trained: readonly AssistantMessage[]): number {
  const ratio = repetitionRatio(
    trained
      .map((m) => m.content)
      .join('\n')
      .slice(0, repetitionWindow),
  );
  let score = ratio <= 0.5 ? 1 : ratio >= 1.5 ? 0 : 1.5 - ratio;
  if (hasLoop(trained)) score *= 0.5;
  return score;
}

function hasLoop(trained: readonly AssistantMessage[]): boolean {
  let previous = '';
  let run = 0;
  for (const m of trained)
    for (const call of m.toolCalls) {
      const key = `${call.name}\u0000${JSON.stringify(call.arguments)}`;
      run = key === previous ? run + 1 : 1;
      previous = key;
      if (run >= 3) return true;
    }
  return false;
}

/** 1 − the share of trained answers that refuse; a final refusal or an interruption costs more. */
function refusals(messages: readonly ChatMessage[], trained: readonly AssistantMessage[]): number {
  const texts = trained.filter((m) => m.content.length > 0);
  if (texts.length === 0) return 1;
  const refuses = (m: AssistantMessage) => refusal.test(m.content.slice(0, refusalWindow));
  const refusing = texts.filter(refuses).length;
  let score = 1 - refusing / texts.length;
  if (refuses(texts.at(-1)!)) score = 0;
  if (messages.some((m) => m.role === 'user' && interrupted.test(m.content))) score = Math.min(score, 0.5);
  return score;
}

/** Ends on a final answer; tool outputs cut by the size rule cost a little each. */
function truncation(messages: readonly ChatMessage[]): number {
  const last = messages.at(-1);
  let score = last?.role === 'assistant' && last.toolCalls.length === 0 ? 1 : 0.3;
  const cut = messages.filter((m) => m.role === 'tool' && m.content.includes(truncatedMarker)).length;
  score -= Math.min(0.5, cut * 0.1);
  return Math.max(0, score);
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;

function roundAll(components: QualityComponents): QualityComponents {
  const out = { ...components };
  for (const key of Object.keys(out) as (keyof QualityComponents)[]) out[key] = round(out[key]);
  return out;
}

/** The components that pulled a score down the most, for drop reports: "repetition 0.1, refusals 0". */
export function weakest(components: QualityComponents, count = 2): string {
  return (Object.entries(components) as [keyof QualityComponents, number][])
    .filter(([, v]) => v < 1)
    .sort((a, b) => weights[b[0]] * (1 - b[1]) - weights[a[0]] * (1 - a[1]))
    .slice(0, count)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}
