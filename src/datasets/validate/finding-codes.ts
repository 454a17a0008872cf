/**
 * Validation codes, stable: reports, build summaries and docs/DATASETS.md use them. Cookbook
 * names are kept where the OpenAI cookbook checker has the same check; the rule ids of the field
 * research (F, L, M, T, K, D) are in the docs. `error` blocks a file (or drops an example from a
 * build); `warning` is reported only.
 */
export const findingCodes = {
  invalid_utf8: 'error',
  bom: 'error',
  blank_line: 'error',
  invalid_json: 'error',
  data_type: 'error',
  missing_messages_list: 'error',
  unrecognized_key: 'error',
  invalid_tools: 'error',
  message_missing_key: 'error',
  message_unrecognized_key: 'error',
  unrecognized_role: 'error',
  missing_content: 'error',
  invalid_weight: 'error',
  system_not_first: 'error',
  alternation: 'error',
  first_not_user: 'error',
  last_not_assistant: 'warning',
  example_missing_assistant_message: 'error',
  invalid_text: 'error',
  tool_call_shape: 'error',
  tool_arguments_not_json: 'error',
  duplicate_tool_call_id: 'error',
  tool_call_unanswered: 'error',
  tool_call_answered_twice: 'error',
  orphan_tool_message: 'error',
  invalid_tool_name: 'error',
  tool_not_declared: 'warning',
  over_token_budget: 'error',
  no_trainable_tokens: 'error',
  secret_found: 'error',
  too_few_examples: 'error',
  no_system_message: 'warning',
  no_user_message: 'warning',
  exact_duplicate: 'warning',
  near_duplicate: 'warning',
  tool_output_share: 'warning',
} as const;

export type FindingCode = keyof typeof findingCodes;

/** What is wrong with one line (null: the file as a whole), in words that say what to fix. */
export type Finding = { line: number | null; code: FindingCode; message: string };

export type Severity = 'error' | 'warning';

/** A finding of one example, before it is placed on a line; `severity` overrides the code's own. */
export type Problem = { code: FindingCode; message: string; severity?: Severity };

export function severityOf(problem: Problem): Severity {
  return problem.severity ?? findingCodes[problem.code];
}
