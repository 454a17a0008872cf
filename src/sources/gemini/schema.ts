/**
 * The Gemini CLI chat format, as documented in shared/notes/transcript-formats.md §3 (from
 * gemini-cli's chatRecordingTypes.ts). A chat is a header `{sessionId, projectHash, startTime,
 * lastUpdated, summary?, directories?, kind?}` followed by MessageRecords: in one JSON document
 * (`messages`) before April 2026, as JSON Lines since, where a message is appended again whenever
 * it changes, `{"$set": {...}}` updates the header and `{"$rewindTo": id}` drops messages.
 */

export const geminiSource = 'gemini';

/** MessageRecord.type values. `gemini` is the model; info, warning and error are the CLI's notices. */
export const messageTypes = new Set(['user', 'gemini', 'info', 'warning', 'error']);

/** Header fields kept in the session's meta (the rest of a header stays in the raw record). */
export const headerMetaKeys = ['projectHash', 'kind', 'directories'] as const;

/**
 * Text the CLI adds to the conversation as the user, which nobody typed: the first message
 * describing the environment, and what hooks add (`<hook_context>`, a message of its own at session
 * start, a part beside the prompt before the model is asked).
 */
export const injectedPrefixes = ['<session_context>', '<hook_context>'];

/** `/compress` (and automatic compression) replaces the history with a user message of this summary. */
export const compressionPrefix = '<state_snapshot>';

/** ToolCallRecord.status values that mean the call did not succeed. */
export const failedToolStatuses = new Set(['error', 'cancelled']);

/** ToolCallRecord.status values of a call that ran to its end (the others: still scheduled or running). */
export const finishedToolStatuses = new Set(['success', 'error', 'cancelled']);
