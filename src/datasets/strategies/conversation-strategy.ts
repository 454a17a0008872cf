import type { Example, SourcedMessage } from '../example.ts';
import { makeExample, systemMessages, type StrategyContext } from './strategy.ts';
import { endAtFinalAnswer, hasAssistant, plain, turnGroups } from './turn-groups.ts';

/**
 * The whole conversation as one multi-turn example, every assistant message trained. A
 * conversation over the token budget is cut at turn boundaries into consecutive parts, each
 * within the budget and each training only its own turns (no turn is in two parts). A single
 * turn over the budget stays one part; validation then drops it (`over_token_budget`).
 */
export function conversationExamples(context: StrategyContext): Example[] {
  const system = systemMessages(context);
  const { meter, options } = context;
  const budget = options.maxExampleTokens;
  const all = context.conversation.messages;
  if (!hasAssistant(all)) return [];
  const whole = [...system, ...endAtFinalAnswer(all)];
  if (meter.fits(plain(whole), budget)) return [makeExample(context, 'conversation', 0, whole)];
  const parts = packTurns(context, system);
  return parts.map((part, index) =>
    makeExample(context, 'conversation', index, [...system, ...endAtFinalAnswer(part)]),
  );
}

/** Consecutive turns packed greedily into parts that fit the budget with the system prompt. */
function packTurns(context: StrategyContext, system: SourcedMessage[]): SourcedMessage[][] {
  const { meter } = context;
  const budget = context.options.maxExampleTokens;
  const fixed = meter.exact(plain(system));
  const parts: SourcedMessage[][] = [];
  let part: SourcedMessage[] = [];
  let used = fixed;
  for (const group of turnGroups(context.conversation.messages)) {
    const cost = meter.exactPart(plain(group));
    if (part.length > 0 && used + cost > budget) {
      parts.push(part);
      part = [];
      used = fixed;
    }
    part.push(...group);
    used += cost;
  }
  if (part.length > 0) parts.push(part);
  return parts.filter(hasAssistant);
}
