/**
 * Record types of Codex CLI rollouts, as documented in shared/notes/transcript-formats.md §2.
 * Each line is `{timestamp, type, payload}`; the oldest rollouts wrote bare items instead.
 */
export const envelopeTypes = new Set([
  'session_meta',
  'response_item',
  'event_msg',
  'turn_context',
  'compacted',
  'world_state',
  'inter_agent_communication',
  'inter_agent_communication_metadata',
]);

/** `response_item` payload types: items of the OpenAI Responses API, as the model saw them. */
export const responseItemTypes = new Set([
  'message',
  'reasoning',
  'function_call',
  'function_call_output',
  'custom_tool_call',
  'custom_tool_call_output',
  'local_shell_call',
  'web_search_call',
  'tool_search_call',
  'tool_search_output',
  'image_generation_call',
  'compaction',
  'compaction_summary',
  'context_compaction',
  'ghost_snapshot',
  'additional_tools',
]);

/** Events that start a turn (older rollouts say task_*, newer turn_*). */
export const turnStartEvents = new Set(['task_started', 'turn_started']);

/** Events worth a timeline entry of their own (kind `event`); the rest mirror items or are telemetry. */
export const timelineEvents = new Set([
  'turn_aborted',
  'thread_rolled_back',
  'error',
  'entered_review_mode',
  'exited_review_mode',
]);

/**
 * Text Codex injects into user-role messages (not typed by the human), matched at the start of a
 * text part, case-insensitively: AGENTS.md and user instructions, environment context, skills,
 * shell commands run by the user, aborted-turn notes and sub-agent notifications.
 */
export const contextualPrefixes = [
  '# agents.md instructions',
  '<user_instructions>',
  '<environment_context>',
  '<skill>',
  '<user_shell_command>',
  '<turn_aborted>',
  '<subagents>',
  '<subagent_notification>',
  '<instructions>',
];

/** `user_message.kind` values of older rollouts that mark injected context. */
export const contextualEventKinds = new Set(['user_instructions', 'environment_context']);
