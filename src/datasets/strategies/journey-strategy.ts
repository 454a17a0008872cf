import { canonicalJson } from '../canonical-json.ts';
import type { Interaction } from '../conversation.ts';
import type { Example, SourcedMessage } from '../example.ts';
import { makeExample, type StrategyContext } from './strategy.ts';

/** A step of the journey: a UI action, or something said in the chat beside it. */
type Step = { text: string; sourceIds: number[] };

/**
 * For sessions of browser or UI interactions: one example per action, asking for that action
 * given the goal and the state so far (the latest steps, the current page). The answer is the
 * action as canonical JSON (its type, target, text, url, …), so a model learns to act, not to chat.
 */
export function journeyExamples(context: StrategyContext): Example[] {
  const { conversation, options, session } = context;
  const interactions = conversation.interactions;
  const chat = conversation.messages;
  const goal = session.title ?? firstUserText(chat) ?? 'Complete the task in the interface.';
  const system: SourcedMessage[] =
    options.journeySystemPrompt.length === 0
      ? []
      : [{ message: { role: 'system', content: options.journeySystemPrompt }, sourceIds: [] }];
  const steps: Step[] = [];
  let said = 0;
  let page: string | null = null;
  const examples: Example[] = [];
  for (const interaction of interactions) {
    for (; said < interaction.position && said < chat.length; said++) steps.push(chatStep(chat[said]!));
    const shown = steps.slice(-options.journeySteps);
    const state = stateText(goal, shown, page);
    const action = canonicalJson(interaction.event);
    const items: SourcedMessage[] = [
      ...system,
      { message: { role: 'user', content: state }, sourceIds: shown.flatMap((s) => s.sourceIds) },
      {
        message: { role: 'assistant', content: action, toolCalls: [], weight: 1 },
        sourceIds: [interaction.sourceId],
      },
    ];
    examples.push(makeExample(context, 'journey', examples.length, items));
    steps.push({ text: actionText(interaction), sourceIds: [interaction.sourceId] });
    page = typeof interaction.event.url === 'string' ? interaction.event.url : page;
  }
  return examples;
}

function firstUserText(chat: readonly SourcedMessage[]): string | null {
  const first = chat.find((m) => m.message.role === 'user');
  return first === undefined ? null : first.message.content;
}

function chatStep(item: SourcedMessage): Step {
  const m = item.message;
  const who = m.role === 'user' ? 'User said' : m.role === 'assistant' ? 'Assistant said' : `Tool ${m.role}`;
  const text = m.content.length > 400 ? `${m.content.slice(0, 400)}…` : m.content;
  return { text: `${who}: ${text.replaceAll('\n', ' ')}`, sourceIds: item.sourceIds };
}

function actionText(interaction: Interaction): string {
  const e = interaction.event;
  const parts = [String(e.type ?? 'action')];
  if (typeof e.target === 'string') parts.push(e.target);
  if (typeof e.text === 'string' && e.text.length > 0) parts.push(JSON.stringify(e.text.slice(0, 200)));
  if (typeof e.url === 'string') parts.push(`on ${e.url}`);
  return parts.join(' ');
}

function stateText(goal: string, steps: readonly Step[], page: string | null): string {
  const lines = [`Goal: ${goal}`, '', 'Steps so far:'];
  if (steps.length === 0) lines.push('(none)');
  steps.forEach((s, i) => lines.push(`${i + 1}. ${s.text}`));
  if (page !== null) lines.push('', `Current page: ${page}`);
  return lines.join('\n');
}
