import { basename } from 'node:path';
import { AgentlogError } from '../../domain/errors.ts';
import type { IngestPipeline } from '../../enrich/ingest-pipeline.ts';
import { importFile, type FileOutcome } from '../../ingest/import-file.ts';
import type { SourceEnv, SourceFormat } from '../../sources/source-format.ts';
import type { Store } from '../../storage/ports.ts';
import type { LiveSessions } from '../live-sessions.ts';
import type { HookInput } from './hook-input.ts';

export type HookRunOptions = {
  store: Store;
  projectId: number;
  format: SourceFormat;
  input: HookInput;
  env: SourceEnv;
  /** Redaction and enrichment before the first write (default: mask, see agentlog.ingestPipeline). */
  pipeline?: IngestPipeline;
  /** The sessions a hook wrote become `active`; a SessionEnd hook stops them (their completion is queued). */
  live?: LiveSessions;
};

/** The hook event after which an agent's session is over (the same name for every agent with hooks). */
const sessionEndEvent = 'SessionEnd';

export type HookFileResult = { file: string; outcome: FileOutcome };

/**
 * Imports the transcripts a hook named, each from where the last import stopped (the importer
 * keeps offsets per file), through the one write path. Without a path (Codex's notify, or a null
 * `transcript_path`) the session's file is looked for under the format's default roots.
 */
export async function runHook(options: HookRunOptions): Promise<HookFileResult[]> {
  const { input, format } = options;
  let files = input.transcripts;
  if (files.length === 0 && input.sessionId !== null) {
    const found = await findTranscript(format, format.defaultRoots(options.env), input.sessionId);
    if (found === null) {
      throw new AgentlogError(
        'NOT_FOUND',
        `no ${format.name} transcript found for session ${input.sessionId}`,
      );
    }
    files = [found];
  }
  const results: HookFileResult[] = [];
  for (const file of files) {
    const outcome = await importFile({
      store: options.store,
      projectId: options.projectId,
      format,
      path: file,
      ...(options.pipeline ? { pipeline: options.pipeline } : {}),
    });
    results.push({ file, outcome });
  }
  if (options.live !== undefined) await followLifecycle(options.live, format.name, input, results);
  return results;
}

async function followLifecycle(
  live: LiveSessions,
  agent: string,
  input: HookInput,
  results: readonly HookFileResult[],
): Promise<void> {
  const written = `live capture: ${agent} ${input.event ?? 'notify'} hook`;
  const sessions = new Set<string>();
  for (const { outcome } of results)
    if (outcome.status === 'imported') for (const id of outcome.sessions) sessions.add(id);
  if (input.event !== sessionEndEvent) return live.written(sessions, written);
  // The import may have read nothing new (the last Stop hook did), so the session named is stopped too.
  if (input.sessionId !== null) sessions.add(input.sessionId);
  await live.ended(sessions, {
    written,
    ended: `${agent} ${sessionEndEvent} hook: the agent ended the session`,
  });
}

/** The transcript whose file name carries the session id (Claude `<id>.jsonl`, Codex `rollout-…-<id>.jsonl`). */
async function findTranscript(
  format: SourceFormat,
  roots: string[],
  sessionId: string,
): Promise<string | null> {
  for (const root of roots) {
    for await (const path of format.discover(root)) if (basename(path).includes(sessionId)) return path;
  }
  return null;
}
