import { randomBytes } from 'node:crypto';
import { countTokens } from 'gpt-tokenizer';
import type { Message } from '../../domain/message.ts';
import type { Run } from '../../domain/run.ts';
import type { LlmProvider } from '../../llm/llm-provider.ts';
import { lastLines } from '../log-tail.ts';
import { assemblePrompt, crashSystemPrompt, promptSections, type PromptSections } from './build-prompt.ts';
import { crashTerms } from './crash-terms.ts';
import {
  crashReportFormat,
  type CrashReport,
  type CrashTrigger,
  type ModelAnalysis,
} from './crash-report.ts';
import { matchRules, toMatch } from './error-rules.ts';
import { extractError, type ExitStatus } from './extract-error.ts';
import { readModelAnswer } from './model-answer.ts';
import { rankExcerpts, type Excerpt } from './rank-excerpts.ts';

/** The model to ask, or why there is none to ask (not configured: `problem` null). */
export type ModelChoice = { provider: LlmProvider | null; problem: string | null; maxOutputTokens: number };

export type CrashInput = {
  run: Run;
  trigger: CrashTrigger;
  host: string;
  exit: ExitStatus;
  /** The end of the log (see log-tail.ts). */
  logTail: string;
  conversation: { messages: AsyncIterable<Message>; key: string | null; problem: string | null };
  config: { path: string; content: string } | null;
  model: ModelChoice;
  /** Tokens of the whole prompt. */
  promptTokens: number;
};

/** Without a model the excerpts are for people to read: fewer of them. */
const builtinExcerptTokens = 2500;
const shownLogLines = 60;

/**
 * Analyses a crash: reads the error from the log, matches the rule table, ranks the
 * conversation's turns against the error, and asks the model (when one is configured) for the
 * root cause, the decisions that led to it and a fix. A model that is missing, slow or answers
 * nonsense leaves the built-in analysis in place, with the reason in `providerError`.
 */
export async function analyzeCrash(input: CrashInput): Promise<CrashReport> {
  const { run } = input;
  const error = extractError(input.logTail, input.exit);
  const rules = matchRules(error, input.logTail);
  const terms = crashTerms(error, rules, {
    configPath: input.config?.path ?? run.configPath,
    command: run.command,
  });
  const sections = promptSections({
    error,
    likelyCauses: rules.map(toMatch),
    command: run.command,
    logTail: input.logTail,
    config: input.config,
    budgetTokens: input.promptTokens,
  });
  const provider = input.model.provider;
  const excerpts = await rankExcerpts(input.conversation.messages, {
    terms,
    budgetTokens:
      provider === null ? Math.min(builtinExcerptTokens, sections.excerptBudget) : sections.excerptBudget,
  });

  const asked =
    provider === null ? null : await askModel(provider, sections, excerpts, input.model.maxOutputTokens);
  const analysis = asked?.analysis ?? null;
  const providerError = asked?.problem ?? input.model.problem;
  const promptTokens = asked?.promptTokens ?? null;

  return {
    format: crashReportFormat,
    id: `crash_${randomBytes(6).toString('hex')}`,
    runId: run.id,
    chainId: run.chainId,
    createdAt: new Date().toISOString(),
    trigger: input.trigger,
    host: input.host,
    command: run.command,
    exit: { code: input.exit.exitCode, signal: input.exit.signal },
    error,
    likelyCauses: rules.map(toMatch),
    analysis,
    providerError,
    excerpts,
    logTail: lastLines(input.logTail, shownLogLines),
    conversation: {
      key: input.conversation.key,
      sessionId: run.sessionId,
      problem: input.conversation.problem,
    },
    config: { path: input.config?.path ?? run.configPath, included: input.config !== null },
    promptTokens,
  };
}

type Asked = { analysis: ModelAnalysis | null; problem: string | null; promptTokens: number };

async function askModel(
  provider: LlmProvider,
  sections: PromptSections,
  excerpts: readonly Excerpt[],
  maxTokens: number,
): Promise<Asked> {
  const prompt = assemblePrompt(sections, excerpts);
  const promptTokens = countTokens(crashSystemPrompt) + countTokens(prompt);
  try {
    const answer = await provider.complete({ system: crashSystemPrompt, prompt, maxTokens });
    const read = readModelAnswer(answer.text, excerpts);
    if (!read.ok)
      return { analysis: null, problem: `${provider.name} ${provider.model}: ${read.reason}`, promptTokens };
    const analysis: ModelAnalysis = {
      provider: provider.name,
      model: answer.model,
      rootCause: read.rootCause,
      decisions: read.decisions,
      fix: read.fix,
      confidence: read.confidence,
    };
    return { analysis, problem: null, promptTokens };
  } catch (cause) {
    return { analysis: null, problem: cause instanceof Error ? cause.message : String(cause), promptTokens };
  }
}
