/** Record types of Claude Code transcripts, as documented in shared/notes/transcript-formats.md §1.3. */
/** Records that take part in the conversation (they carry a uuid) and become messages. */
export const conversationTypes = new Set(['user', 'assistant', 'system', 'attachment']);

export const knownRecordTypes = new Set([
  'user',
  'assistant',
  'system',
  'summary',
  'file-history-snapshot',
  'queue-operation',
  'progress',
  'pr-link',
  'custom-title',
  'ai-title',
  'agent-name',
  'last-prompt',
  'attachment',
  'permission-mode',
  'agent-setting',
  'bridge-session',
  'worktree-state',
  'cost-state',
  'turn_end',
]);

/** Keys of the common envelope; everything else on a system record is subtype-specific detail. */
export const envelopeKeys = new Set([
  'type',
  'subtype',
  'uuid',
  'parentUuid',
  'logicalParentUuid',
  'sessionId',
  'timestamp',
  'cwd',
  'gitBranch',
  'version',
  'isSidechain',
  'agentId',
  'userType',
  'slug',
  'content',
  'message',
  'entrypoint',
  'sessionKind',
  'teamName',
  'promptId',
  'sidechainParentUuid',
]);

/** The tool that spawns a sub-agent: `Task`, renamed `Agent` in 2.1.63. */
export const spawnTools = new Set(['Task', 'Agent']);

/** Summary fields of a Task/Agent tool result worth keeping on the message (the rest stays raw). */
export const taskResultKeys = [
  'agentId',
  'status',
  'totalDurationMs',
  'totalTokens',
  'totalToolUseCount',
] as const;

export const syntheticModel = '<synthetic>';
