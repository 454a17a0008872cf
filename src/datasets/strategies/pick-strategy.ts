import type { DatasetStrategy } from '../../domain/training-file.ts';
import type { Conversation } from '../conversation.ts';
import type { Example } from '../example.ts';
import { conversationExamples } from './conversation-strategy.ts';
import { journeyExamples } from './journey-strategy.ts';
import type { StrategyContext } from './strategy.ts';
import { turnExamples } from './turns-strategy.ts';

/** `auto`: a journey when the session's UI actions are at least as many as the user's chat messages. */
export function resolveStrategy(
  strategy: DatasetStrategy,
  conversation: Conversation,
): Exclude<DatasetStrategy, 'auto'> {
  if (strategy !== 'auto') return strategy;
  const actions = conversation.interactions.length;
  const said = conversation.messages.filter((m) => m.message.role === 'user').length;
  return actions > 0 && actions >= said ? 'journey' : 'conversation';
}

export function examplesOf(context: StrategyContext): Example[] {
  const strategy = resolveStrategy(context.options.strategy, context.conversation);
  switch (strategy) {
    case 'conversation':
      return conversationExamples(context);
    case 'turns':
      return turnExamples(context);
    case 'journey':
      return journeyExamples(context);
    default:
      return strategy satisfies never;
  }
}
