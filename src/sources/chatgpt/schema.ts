/** Narrow shape of a ChatGPT data export, as documented in shared/notes/transcript-formats.md §4. */

export const chatgptSource = 'chatgpt';

export const authorRoles = new Set(['user', 'assistant', 'system', 'tool']);

/** A message whose `recipient` is not this one is addressed to a tool: a tool call. */
export const everyone = 'all';

/** Content types that carry context the user set up, not conversation: stored as `meta` messages. */
export const contextContentTypes = new Set(['user_editable_context', 'model_editable_context']);

/** Conversation fields kept on the session (the rest stays in the raw record). */
export const conversationMetaKeys = [
  ['current_node', 'currentNode'],
  ['default_model_slug', 'defaultModel'],
  ['gizmo_id', 'gizmoId'],
  ['gizmo_type', 'gizmoType'],
  ['conversation_template_id', 'conversationTemplateId'],
  ['is_archived', 'isArchived'],
  ['is_starred', 'isStarred'],
  ['voice', 'voice'],
] as const;

/** Message fields (and `metadata` fields, below) kept on the message's meta when present. */
export const messageMetaKeys = [
  ['status', 'status'],
  ['end_turn', 'endTurn'],
] as const;

export const messageMetadataKeys = [
  ['finish_details', 'finishDetails'],
  ['is_user_system_message', 'isUserSystemMessage'],
  ['attachments', 'attachments'],
] as const;
