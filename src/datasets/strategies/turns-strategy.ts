import type { Example, SourcedMessage } from '../example.ts';
import { makeExample, systemMessages, type StrategyContext } from './strategy.ts';
import { endAtFinalAnswer, hasAssistant, plain, turnGroups, withWeight } from './turn-groups.ts';

/**
 * One example per assistant turn: the conversation before it as context (its assistant messages
 * at weight 0, trained in their own examples) and the turn itself at weight 1, so no assistant
 * turn is trained twice. Context that does not fit the budget is left out from the oldest turn on.
 */
export function turnExamples(context: StrategyContext): Example[] {
  const system = systemMessages(context);
  const groups = turnGroups(context.conversation.messages);
  const cost = new TurnCosts(context);
  const examples: Example[] = [];
  groups.forEach((group, k) => {
    if (!hasAssistant(group)) return;
    const trained = withWeight(endAtFinalAnswer(group), 1);
    const before = groups.slice(0, k);
    const shown = cost.contextThatFits(system, before, trained);
    const items = [...system, ...withWeight(shown.flat(), 0), ...trained];
    examples.push(makeExample(context, 'turns', examples.length, items));
  });
  return examples;
}

/** Token costs of turn groups, counted exactly only when a window might not fit, once per group. */
class TurnCosts {
  private readonly context: StrategyContext;
  private readonly exact = new Map<SourcedMessage[], number>();

  constructor(context: StrategyContext) {
    this.context = context;
  }

  contextThatFits(
    system: SourcedMessage[],
    before: SourcedMessage[][],
    trained: SourcedMessage[],
  ): SourcedMessage[][] {
    const { meter } = this.context;
    const budget = this.context.options.maxExampleTokens;
    if (meter.upperBound(plain([...system, ...before.flat(), ...trained])) <= budget) return before;
    let used = meter.exact(plain([...system, ...trained]));
    let first = before.length;
    while (first > 0) {
      const next = this.cost(before[first - 1]!);
      if (used + next > budget) break;
      used += next;
      first--;
    }
    return before.slice(first);
  }

  private cost(group: SourcedMessage[]): number {
    let tokens = this.exact.get(group);
    if (tokens === undefined) {
      tokens = this.context.meter.exactPart(plain(group));
      this.exact.set(group, tokens);
    }
    return tokens;
  }
}
