import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { AgentlogError } from '../../domain/errors.ts';

/** What a hook invocation tells agentlog: the transcripts to read, or the session to find them by. */
export type HookInput = {
  event: string | null;
  sessionId: string | null;
  /** Absolute paths; for SubagentStop the sub-agent's transcript comes first. */
  transcripts: string[];
};

const path = z.string().min(1).nullish();

/** The common fields of Claude Code, Codex and Gemini CLI hook input (JSON on stdin). */
const hookPayload = z.object({
  session_id: z.string().min(1).nullish(),
  transcript_path: path,
  agent_transcript_path: path,
  cwd: z.string().nullish(),
  hook_event_name: z.string().nullish(),
});

/** Codex's legacy `notify` program gets one JSON argument instead, without a transcript path. */
const codexNotify = z.object({
  type: z.string(),
  'thread-id': z.string().min(1),
  cwd: z.string().nullish(),
});

export function parseHookInput(text: string, home: string): HookInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AgentlogError(
      'INVALID_ARGUMENT',
      `hook input is not JSON (${(error as Error).message}): ${JSON.stringify(text.slice(0, 200))}`,
    );
  }
  const notify = codexNotify.safeParse(value);
  if (notify.success)
    return { event: notify.data.type, sessionId: notify.data['thread-id'], transcripts: [] };
  const parsed = hookPayload.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AgentlogError(
      'INVALID_ARGUMENT',
      `hook input: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unexpected shape'}`,
    );
  }
  const p = parsed.data;
  const cwd = p.cwd ?? home;
  const transcripts = [p.agent_transcript_path, p.transcript_path]
    .filter((t): t is string => typeof t === 'string' && t.length > 0)
    .map((t) => absolute(t, cwd, home));
  if (transcripts.length === 0 && !p.session_id)
    throw new AgentlogError('INVALID_ARGUMENT', 'hook input has neither transcript_path nor session_id');
  return { event: p.hook_event_name ?? null, sessionId: p.session_id ?? null, transcripts };
}

/** Hook documentation shows `~/...` paths; relative ones are taken from the agent's cwd. */
function absolute(path: string, cwd: string, home: string): string {
  if (path === '~' || path.startsWith('~/')) return join(home, path.slice(1));
  return isAbsolute(path) ? path : resolve(cwd, path);
}
