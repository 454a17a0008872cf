import type { Agentlog } from '../agentlog.ts';
import { AgentlogError } from '../domain/errors.ts';
import type { NewRun, Run } from '../domain/run.ts';
import { captureConversation, type CaptureOutcome } from './capture-conversation.ts';
import { newChainId } from './chain-id.ts';
import { copyConfig } from './config-copy.ts';
import { createSecretMasker } from './mask-secrets.ts';
import { readGitState } from './git-state.ts';
import { runKeys } from './run-keys.ts';
import { metadataFormat, type ConfigCopy, type RunMetadata } from './run-metadata.ts';
import { newRunId } from './run-ids.ts';
import type { RunRequest } from './run-with-custody.ts';
import { describeStore } from '../config/describe-store.ts';

/** The run as recorded before its command starts; `run` is null when it could not be recorded. */
export type LaunchRecord = { run: Run | null; runId: string; chainId: string; warnings: string[] };

const chainAttempts = 8;

/**
 * Everything done before the command starts: the run is recorded (claiming a unique chain id),
 * the conversation captured, `metadata.json` written, and the ids printed. Capture problems are
 * warnings; only a run id the user gave that is already taken stops here (CONFLICT).
 */
export async function prepareRun(
  agentlog: Agentlog,
  request: RunRequest,
  warn: (text: string) => void,
): Promise<LaunchRecord> {
  const git = await readGitState(request.cwd);
  const run = await recordRun(agentlog, request, git);
  const warnings: string[] = [];
  const note = (text: string) => {
    warnings.push(text);
    warn(text);
  };
  const target = { runId: run.id, chainId: run.chainId, launchType: run.launchType };
  const [captured, config] = await Promise.all([
    captureConversation({
      store: agentlog.store,
      blobs: agentlog.blobs,
      projectId: agentlog.project.id,
      target,
      cwd: request.cwd,
      sessionRef: request.sessionRef,
      env: request.sourceEnv,
    }),
    request.configPath === undefined
      ? null
      : copyConfig(
          request.configPath,
          request.cwd,
          createSecretMasker(agentlog.config, agentlog.config.project),
        ),
  ]);
  if (captured.problem !== null) note(`conversation not captured: ${captured.problem}; the run goes on.`);
  if (config?.problem) note(`config file ${config.path} ${config.problem}; the run goes on.`);
  const metadataWritten = await writeMetadata(agentlog, run, { captured, git, config, warnings }, note);
  const updated = await agentlog.store.updateRunCapture(run.id, {
    sessionId: captured.session?.id ?? null,
    conversationKey: captured.copy?.key ?? null,
    warnings,
  });
  printLaunch(
    request,
    run,
    captured,
    metadataWritten,
    describeStore(agentlog.config.storage, agentlog.config.dataDir),
  );
  return { run: updated ?? run, runId: run.id, chainId: run.chainId, warnings };
}

async function recordRun(agentlog: Agentlog, request: RunRequest, git: Run['git']): Promise<Run> {
  const base: Omit<NewRun, 'chainId'> = {
    id: request.runId ?? newRunId(),
    projectId: agentlog.project.id,
    launchType: request.launchType,
    command: request.command,
    cwd: request.cwd,
    host: request.host,
    configPath: request.configPath ?? null,
    git,
    meta: request.meta,
    sessionId: null,
    conversationKey: null,
    warnings: [],
    startedAt: Date.now(),
  };
  for (let attempt = 0; attempt < chainAttempts; attempt++) {
    const inserted = await agentlog.store.insertRun({ ...base, chainId: newChainId() });
    if (inserted.ok) return inserted.run;
    if (inserted.conflict === 'id') {
      throw new AgentlogError('CONFLICT', `A run with id ${base.id} already exists.`, {
        hint: 'Leave out --run-id to get a fresh one, or choose another.',
      });
    }
  }
  throw new AgentlogError('INTERNAL', `No free chain id after ${chainAttempts} attempts.`);
}

type Captures = {
  captured: CaptureOutcome;
  git: Run['git'];
  config: ConfigCopy | null;
  warnings: string[];
};

async function writeMetadata(
  agentlog: Agentlog,
  run: Run,
  captures: Captures,
  note: (text: string) => void,
): Promise<string | null> {
  const { session, transcript, copy } = captures.captured;
  const metadata: RunMetadata = {
    format: metadataFormat,
    runId: run.id,
    chainId: run.chainId,
    launchType: run.launchType,
    launchedAt: new Date(run.startedAt).toISOString(),
    cwd: run.cwd,
    host: run.host,
    command: run.command,
    git: captures.git,
    config: captures.config,
    meta: run.meta,
    conversation:
      session === null
        ? null
        : {
            sessionId: session.id,
            source: session.source,
            externalId: session.externalId,
            transcript,
            key: copy?.key ?? null,
          },
    warnings: captures.warnings,
  };
  try {
    const key = runKeys.metadata(run.launchType, run.id);
    return (await agentlog.blobs.put(key, `${JSON.stringify(metadata, null, 2)}\n`)).location;
  } catch (error) {
    note(
      `metadata.json not stored: ${error instanceof Error ? error.message : String(error)}; the run goes on.`,
    );
    return null;
  }
}

function printLaunch(
  request: RunRequest,
  run: Run,
  captured: CaptureOutcome,
  metadata: string | null,
  store: string,
): void {
  const say = (text: string) => request.stderr.write(`agentlog: ${text}\n`);
  say(`run ${run.id} · chain ${run.chainId}`);
  const { session, copy } = captured;
  if (session !== null && copy !== null)
    say(
      `conversation ${session.source} ${session.externalId} (${copy.messages} message${copy.messages === 1 ? '' : 's'}) → ${copy.location}`,
    );
  else if (session !== null) say(`conversation ${session.source} ${session.externalId} linked (not copied)`);
  if (metadata !== null) say(`metadata → ${metadata}`);
  say(`run recorded in ${store} (npx agentlog runs show ${run.chainId})`);
}
