import { countTokens } from 'gpt-tokenizer';
import type { RuleMatch } from './error-rules.ts';
import type { ErrorSignature } from './extract-error.ts';
import { clipTokens, type Excerpt } from './rank-excerpts.ts';

export const crashSystemPrompt = [
  'You investigate crashes of programs that a coding agent launched for its user (often training jobs).',
  'You get the error, the end of the log, the config file, and numbered excerpts [#n] of the conversation',
  'between the user and the agent before the launch. Find the root cause, the decisions in the conversation',
  'that led to it (cite the excerpt numbers), and a concrete fix.',
  'Answer with one JSON object and nothing else:',
  '{"rootCause": string, "decisions": [{"excerpt": number or null, "what": string, "effect": string}],',
  ' "fix": string, "confidence": "high" | "medium" | "low"}',
].join('\n');

/** The fixed sections of a crash prompt, each already cut to its share of the budget. */
export type PromptSections = {
  heading: string;
  error: string;
  causes: string;
  logTail: string;
  config: string;
  /** Tokens left for conversation excerpts. */
  excerptBudget: number;
};

export type PromptInput = {
  error: ErrorSignature;
  likelyCauses: readonly RuleMatch[];
  command: readonly string[];
  logTail: string;
  config: { path: string; content: string } | null;
  budgetTokens: number;
};

const share = { error: 0.15, logTail: 0.2, config: 0.12 };

/** Cuts the error, log tail and config to their shares; what is left of the budget goes to excerpts. */
export function promptSections(input: PromptInput): PromptSections {
  const budget = input.budgetTokens - countTokens(crashSystemPrompt);
  const heading = `Command: ${input.command.join(' ')}\nExit: ${input.error.signal ?? `code ${input.error.exitCode ?? '?'}`}`;
  const error = clipTokens(
    `${input.error.summary}\n\n${input.error.excerpt}`,
    Math.floor(budget * share.error),
  );
  const causes = input.likelyCauses.map((m) => `- ${m.title}: ${m.causes.join('; ')}`).join('\n');
  // The end of the log matters most: cut from the front.
  const tailTokens = Math.floor(budget * share.logTail);
  const logTail = clipFront(input.logTail, tailTokens);
  const config =
    input.config === null
      ? { text: '', tokens: 0 }
      : clipTokens(`${input.config.path}\n${input.config.content}`, Math.floor(budget * share.config));
  const used =
    countTokens(heading) + error.tokens + countTokens(causes) + logTail.tokens + config.tokens + 200; // headings and separators
  return {
    heading,
    error: error.text,
    causes,
    logTail: logTail.text,
    config: config.text,
    excerptBudget: Math.max(0, budget - used),
  };
}

function clipFront(text: string, max: number): { text: string; tokens: number } {
  const lines = text.split('\n');
  const kept: string[] = [];
  let tokens = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const t = countTokens(lines[i]!) + 1;
    if (tokens + t > max) break;
    kept.unshift(lines[i]!);
    tokens += t;
  }
  return { text: kept.join('\n'), tokens };
}

/** The user prompt: the sections and the excerpts, in the order a reader would want them. */
export function assemblePrompt(sections: PromptSections, excerpts: readonly Excerpt[]): string {
  const parts = [sections.heading, '', '## Error', sections.error];
  if (sections.causes.length > 0) parts.push('', '## Known causes of errors like this', sections.causes);
  parts.push('', '## End of the log', sections.logTail);
  if (sections.config.length > 0) parts.push('', '## Config file', sections.config);
  parts.push('', '## Conversation excerpts (oldest first)');
  if (excerpts.length === 0) parts.push('(no conversation was captured)');
  for (const e of excerpts)
    parts.push('', `[#${e.n}] ${e.role}${e.timestamp ? ` at ${e.timestamp}` : ''}:`, e.text);
  return parts.join('\n');
}
