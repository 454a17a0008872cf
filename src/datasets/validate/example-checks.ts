import type { AssistantMessage, ChatMessage } from '../example.ts';
import { hasInvalidText } from '../text-repair.ts';
import type { Problem } from './finding-codes.ts';

/** OpenAI's pattern for function names (MCP names such as mcp__server__tool fit; dots do not). */
export const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

export type CheckOptions = {
  /** Names declared in the example's `tools`; null when it declares none. */
  declaredTools: ReadonlySet<string> | null;
  /** Check tool names against the OpenAI pattern (written files; built examples are named on export). */
  toolNames: boolean;
};

/**
 * The checks every format shares, on an example read into the common shape: content, text, an
 * assistant to train, and tool linkage (each call answered exactly once, after it and before the
 * next assistant message; no answer without a call). The cookbook's warnings too.
 */
export function checkExample(messages: readonly ChatMessage[], options: CheckOptions): Problem[] {
  const problems: Problem[] = [];
  checkContent(messages, problems);
  const assistants = messages.filter((m): m is AssistantMessage => m.role === 'assistant');
  if (assistants.length === 0)
    problems.push({
      code: 'example_missing_assistant_message',
      message: 'The example has no assistant message.',
    });
  else if (!assistants.some((m) => m.weight === 1))
    problems.push({
      code: 'no_trainable_tokens',
      message: 'Every assistant message has weight 0: nothing is trained.',
    });
  if (!messages.some((m) => m.role === 'system'))
    problems.push({ code: 'no_system_message', message: 'The example has no system message.' });
  if (!messages.some((m) => m.role === 'user'))
    problems.push({ code: 'no_user_message', message: 'The example has no user message.' });
  const last = messages.at(-1);
  if (last !== undefined && last.role !== 'assistant')
    problems.push({
      code: 'last_not_assistant',
      message: `The example ends with a ${last.role} message, which is not trained on.`,
    });
  checkLinkage(messages, options, problems);
  return problems;
}

function checkContent(messages: readonly ChatMessage[], problems: Problem[]): void {
  messages.forEach((m, i) => {
    const empty = m.content.trim().length === 0;
    if (m.role === 'assistant' ? empty && m.toolCalls.length === 0 : empty && m.role !== 'tool')
      problems.push({ code: 'missing_content', message: `Message ${i} (${m.role}) has no content.` });
    if (hasInvalidText(m.content))
      problems.push({
        code: 'invalid_text',
        message: `Message ${i} holds a lone surrogate or a control character (NUL, escape…).`,
      });
  });
}

function checkLinkage(messages: readonly ChatMessage[], options: CheckOptions, problems: Problem[]): void {
  /** Calls waiting for their answer: id → index of the calling message. */
  let open = new Map<string, number>();
  const answered = new Set<string>();
  const seen = new Set<string>();
  const unanswered = (pending: Map<string, number>) => {
    for (const [id, at] of pending)
      problems.push({
        code: 'tool_call_unanswered',
        message: `Tool call ${id} (message ${at}) has no tool message answering it before the next assistant message.`,
      });
  };
  messages.forEach((m, i) => {
    if (m.role === 'assistant') {
      unanswered(open);
      open = new Map();
      for (const call of m.toolCalls) {
        if (seen.has(call.id))
          problems.push({
            code: 'duplicate_tool_call_id',
            message: `Tool call id ${call.id} is used twice (message ${i}).`,
          });
        seen.add(call.id);
        open.set(call.id, i);
        checkToolName(call.name, i, options, problems);
      }
    } else if (m.role === 'tool') {
      if (open.delete(m.toolCallId)) answered.add(m.toolCallId);
      else if (answered.has(m.toolCallId))
        problems.push({
          code: 'tool_call_answered_twice',
          message: `Tool call ${m.toolCallId} is answered again (message ${i}).`,
        });
      else
        problems.push({
          code: 'orphan_tool_message',
          message: `Message ${i} answers tool call ${m.toolCallId || '(no id)'}, which no earlier assistant message made.`,
        });
    }
  });
  unanswered(open);
}

function checkToolName(name: string, at: number, options: CheckOptions, problems: Problem[]): void {
  if (options.toolNames && !toolNamePattern.test(name))
    problems.push({
      code: 'invalid_tool_name',
      message: `Tool name "${name}" (message ${at}) is not 1-64 letters, digits, _ or -.`,
    });
  if (options.declaredTools !== null && !options.declaredTools.has(name))
    problems.push({
      code: 'tool_not_declared',
      message: `Tool "${name}" (message ${at}) is not declared in tools.`,
    });
}
