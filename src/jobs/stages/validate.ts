import { z } from 'zod';
import type { Message } from '../../domain/message.ts';
import { roles } from '../../domain/message.ts';
import { defineStage, type StageReport } from '../stage.ts';

/** What the completion pipeline starts from. */
export const completionInputSchema = z.object({
  sessionId: z.string().min(1),
  projectId: z.number().int(),
});

const count = z.number().int().min(0);

export const validationSchema = z.object({
  messages: count,
  byRole: z.object({ user: count, assistant: count, system: count, tool: count }),
  toolCalls: count,
  toolResults: count,
  /** Ids of tool calls no result answers (the first few), and how many there are. */
  unansweredToolCalls: z.array(z.string()),
  unansweredCount: count,
  /** Results whose call is not in the session, and second results of one call. */
  orphanToolResults: count,
  duplicateToolResults: count,
});
export type Validation = z.infer<typeof validationSchema>;

/** validate's output: what every later stage receives. */
export const validatedSessionSchema = completionInputSchema.extend({ validation: validationSchema });
export type ValidatedSession = z.infer<typeof validatedSessionSchema>;

const namedUnanswered = 20;

/** Counts a session's messages and pairs its tool calls with their results, one message at a time. */
class SessionTally {
  readonly validation: Validation = {
    messages: 0,
    byRole: { user: 0, assistant: 0, system: 0, tool: 0 },
    toolCalls: 0,
    toolResults: 0,
    unansweredToolCalls: [],
    unansweredCount: 0,
    orphanToolResults: 0,
    duplicateToolResults: 0,
  };
  badRole: { message: string; role: string } | null = null;
  private readonly open = new Map<string, string>();
  private readonly answered = new Set<string>();

  add(message: Message): void {
    const v = this.validation;
    v.messages++;
    if ((roles as readonly string[]).includes(message.role)) v.byRole[message.role]++;
    else this.badRole ??= { message: message.externalId, role: message.role };
    for (const block of message.blocks) {
      if (block.type === 'tool_use') {
        v.toolCalls++;
        this.open.set(block.id, block.name);
      } else if (block.type === 'tool_result') {
        v.toolResults++;
        if (this.open.delete(block.toolUseId)) this.answered.add(block.toolUseId);
        else if (this.answered.has(block.toolUseId)) v.duplicateToolResults++;
        else v.orphanToolResults++;
      }
    }
  }

  finish(): { validation: Validation; unansweredNames: string[] } {
    const open = [...this.open.entries()];
    this.validation.unansweredCount = open.length;
    this.validation.unansweredToolCalls = open.slice(0, namedUnanswered).map(([id]) => id);
    return {
      validation: this.validation,
      unansweredNames: open.slice(0, 3).map(([id, name]) => `${id} (${name})`),
    };
  }
}

function summaryOf(v: Validation): string {
  const roleCounts = Object.entries(v.byRole)
    .filter(([, n]) => n > 0)
    .map(([role, n]) => `${n} ${role}`)
    .join(', ');
  const extra = [
    v.unansweredCount > 0 ? `${v.unansweredCount} unanswered` : 'all answered',
    ...(v.orphanToolResults > 0 ? [`${v.orphanToolResults} results without a call`] : []),
    ...(v.duplicateToolResults > 0 ? [`${v.duplicateToolResults} repeated results`] : []),
  ];
  return `${v.messages} messages (${roleCounts}); ${v.toolCalls} tool calls, ${v.toolResults} results, ${extra.join(', ')}`;
}

/**
 * Checks that a session can be completed: it exists, has messages, every role is one we know,
 * and every tool call has its result (or, with `unansweredToolCalls: warn`, only counts those
 * that do not). Streams the messages: memory grows with open tool calls, not with the session.
 */
export const validateStage = defineStage({
  name: 'validate',
  input: completionInputSchema,
  output: validatedSessionSchema,
  async run(input, { store, settings }): Promise<StageReport<ValidatedSession>> {
    const session = await store.getSession(input.sessionId);
    if (session === null || session.projectId !== input.projectId)
      return { ok: false, reason: `there is no session ${input.sessionId} in project ${input.projectId}` };
    const tally = new SessionTally();
    for await (const message of store.messages(session.id)) tally.add(message);
    const { validation, unansweredNames } = tally.finish();
    const details = { validation };
    if (validation.messages === 0) return { ok: false, reason: 'the session has no messages', details };
    if (tally.badRole !== null)
      return {
        ok: false,
        reason: `message ${tally.badRole.message} has the unknown role "${tally.badRole.role}"`,
        details,
      };
    if (validation.unansweredCount > 0 && settings.unansweredToolCalls === 'fail') {
      const more = validation.unansweredCount > unansweredNames.length ? ', …' : '';
      return {
        ok: false,
        reason:
          `${validation.unansweredCount} tool call(s) never answered: ${unansweredNames.join(', ')}${more} ` +
          '(set jobs.unansweredToolCalls to "warn" to complete such sessions)',
        details,
      };
    }
    return { ok: true, output: { ...input, validation }, summary: summaryOf(validation) };
  },
});
