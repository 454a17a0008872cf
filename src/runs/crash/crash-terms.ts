import { basename } from 'node:path';
import type { ErrorRule } from './error-rules.ts';
import type { ErrorSignature } from './extract-error.ts';
import type { WeightedTerm } from './rank-excerpts.ts';

const stopwords = new Set(
  'the and for with that this from was were are not but have has had you your our into out one all any can will would could should been being than then them they their there what when where which while who why how its also just more most some such only over under very error errors exception traceback line file most recent call last none true false self args kwargs return module'.split(
    ' ',
  ),
);

const identifier = /[A-Za-z_][\w.-]{2,}/g;
const quoted = /['"`]([^'"`\s]{2,80})['"`]/g;

/**
 * What to look for in the conversation to find where a crash was decided: the exception type,
 * names quoted in its message, the user's files and functions in the stack, the words of the
 * rules that matched (batch size for an out-of-memory), and the config file and script launched.
 */
export function crashTerms(
  error: ErrorSignature,
  rules: readonly ErrorRule[],
  context: { configPath: string | null; command: readonly string[] },
): WeightedTerm[] {
  const terms = new Map<string, number>();
  const add = (term: string, weight: number) => {
    const key = term.toLowerCase();
    if (key.length < 2 || stopwords.has(key)) return;
    terms.set(key, Math.max(terms.get(key) ?? 0, weight));
  };
  for (const part of error.type.split('.')) add(part, 3);
  for (const match of error.message.matchAll(quoted)) add(match[1]!, 4);
  let loose = 0;
  for (const match of error.message.matchAll(identifier)) {
    if (loose++ >= 15) break;
    add(match[0], 1);
  }
  for (const frame of error.frames.slice(-6)) {
    add(basename(frame.file), 3);
    if (frame.function !== null && !frame.function.startsWith('<')) add(frame.function, 1.5);
  }
  for (const rule of rules) for (const keyword of rule.keywords) add(keyword, 2);
  if (context.configPath !== null) add(basename(context.configPath), 2.5);
  for (const word of context.command.slice(0, 4)) {
    const name = basename(word);
    if (/\.\w+$/.test(name)) add(name, 2.5);
  }
  return [...terms].map(([term, weight]) => ({ term, weight }));
}
