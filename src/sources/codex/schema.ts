export const codexSource = 'codex';

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
  // Codex 0.15x: one response's usage (beside or instead of token_count), risk scores, realtime items.
  'token_usage_record',
  'security_risk_score',
  'realtime_item',
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
  'agent_message',
]);

/**
 * Every `event_msg` type Codex has written (rollout/policy.rs decides which are persisted, and that
 * changes between versions). Most mirror a response item or are telemetry and stay raw records
 * only; a type not listed here is from a newer Codex and is reported per line, kept raw.
 */
export const eventTypes = new Set([
  // Handled: conversation, turns, usage, titles.
  'user_message',
  'agent_message',
  'token_count',
  'task_started',
  'turn_started',
  'thread_name_updated',
  'thread_settings_applied',
  'context_compacted',
  'turn_aborted',
  'thread_rolled_back',
  'error',
  'entered_review_mode',
  'exited_review_mode',
  // Mirrors of response items, or what the UI showed around them.
  'agent_reasoning',
  'agent_reasoning_raw_content',
  'agent_reasoning_section_break',
  'task_complete',
  'turn_complete',
  'exec_command_end',
  'patch_apply_end',
  'mcp_tool_call_end',
  'web_search_end',
  'image_generation_end',
  'view_image_tool_call',
  'dynamic_tool_call_request',
  'dynamic_tool_call_response',
  'collab_agent_spawn_end',
  'collab_agent_interaction_end',
  'collab_waiting_end',
  'collab_close_end',
  'collab_resume_end',
  'item_completed',
  'plan_update',
  'turn_diff',
  // Session and thread state, notices, telemetry.
  'session_configured',
  'thread_goal_updated',
  'sub_agent_activity',
  'guardian_assessment',
  'warning',
  'stream_error',
  'background_event',
  'deprecation_notice',
  'model_reroute',
  'undo_started',
  'undo_completed',
  'shutdown_complete',
  'hook_started',
  'hook_completed',
  'mcp_startup_complete',
  'mcp_startup_update',
  'conversation_path',
  'terminal_interaction',
  'raw_response_item',
  'skills_update_available',
  'remote_skill_downloaded',
  'realtime_conversation_started',
  'realtime_conversation_realtime',
  'realtime_conversation_closed',
]);

/**
 * Whether an event type is one Codex is known to write. Families count whole: streaming deltas,
 * the begin and end of an operation (an end mirrors its item), approval requests and answers.
 */
export function isKnownEvent(type: string): boolean {
  return eventTypes.has(type) || /_(begin|delta|end|request|response|started|completed)$/.test(type);
}

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
 * shell commands run by the user, aborted-turn notes, sub-agent notifications and what hooks add
 * (`<hook_prompt hook_run_id=…>`).
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
  '<hook_prompt',
];

/** `user_message.kind` values of older rollouts that mark injected context. */
export const contextualEventKinds = new Set(['user_instructions', 'environment_context']);
