import type { BuildOptions } from '../../config/datasets-config.ts';
import { stableId } from '../../domain/ids.ts';
import type { Session } from '../../domain/session.ts';
import type { DatasetStrategy } from '../../domain/training-file.ts';
import type { Conversation } from '../conversation.ts';
import type { Example, SourcedMessage } from '../example.ts';
import type { TokenMeter } from '../token-meter.ts';
import { plain, sourceIdsOf } from './turn-groups.ts';

export type StrategyContext = {
  session: Session;
  conversation: Conversation;
  options: BuildOptions;
  meter: TokenMeter;
};

/** Turns one session's conversation into examples (none when it has nothing to train on). */
export type StrategyRun = (context: StrategyContext) => Example[];

/** The system message of an example: the configured prompt, else the session's own, else none. */
export function systemMessages(context: StrategyContext): SourcedMessage[] {
  const prompt = context.options.systemPrompt ?? context.conversation.system;
  return prompt === null || prompt.length === 0
    ? []
    : [{ message: { role: 'system', content: prompt }, sourceIds: [] }];
}

export function makeExample(
  context: StrategyContext,
  strategy: Exclude<DatasetStrategy, 'auto'>,
  index: number,
  items: readonly SourcedMessage[],
): Example {
  const sessionId = context.session.id;
  return {
    id: stableId('ex', sessionId, strategy, String(index)),
    sessionId,
    strategy,
    index,
    messageIds: sourceIdsOf(items),
    messages: plain(items),
  };
}
