import { buildOptionsSchema, type BuildOptions } from '../config/datasets-config.ts';
import type { Store } from '../storage/ports.ts';
import { parseTrainingMessages, toConversation } from './conversation.ts';
import { currentThread } from './current-thread.ts';
import type { BadInputCounts } from './example.ts';
import { scoreExample, weakest, type Quality } from './quality/quality-score.ts';
import { examplesOf, resolveStrategy } from './strategies/pick-strategy.ts';
import { lazyCountTokens, TokenMeter } from './token-meter.ts';

export type SessionPreview = {
  strategy: Exclude<BuildOptions['strategy'], 'auto'>;
  examples: { id: string; quality: Quality }[];
  badInput: BadInputCounts;
};

/**
 * What a build would make of one session, without writing anything: its examples under the
 * default options (or those given) and each one's quality. The completion pipeline's quality and
 * training-examples stages report it for each completed session.
 */
export async function previewSession(
  store: Store,
  sessionId: string,
  options: BuildOptions = buildOptionsSchema.parse({}),
): Promise<SessionPreview | null> {
  const session = await store.getSession(sessionId);
  if (session === null) return null;
  const conversation = toConversation(
    parseTrainingMessages(await currentThread(store, session, await store.trainingMessages(sessionId))),
    options,
  );
  const meter = new TokenMeter(lazyCountTokens(), false);
  const examples = examplesOf({ session, conversation, options, meter });
  return {
    strategy: resolveStrategy(options.strategy, conversation),
    examples: examples.map((e) => ({ id: e.id, quality: scoreExample(e.messages) })),
    badInput: conversation.badInput,
  };
}

/** "0.93 (weakest: toolErrors 0.5)" */
export function qualityText(quality: Quality): string {
  const weak = weakest(quality.components);
  return weak === '' ? String(quality.score) : `${quality.score} (weakest: ${weak})`;
}
