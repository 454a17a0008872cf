import { createAgentlog, type Agentlog } from '../../src/agentlog.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { BuildOptions } from '../../src/config/datasets-config.ts';
import type { Block } from '../../src/domain/blocks.ts';
import { textOf } from '../../src/domain/blocks.ts';
import type { MessageKind, Role } from '../../src/domain/message.ts';
import type { SessionStatus } from '../../src/domain/session.ts';
import { IngestPipeline, type PipelineSettings } from '../../src/enrich/ingest-pipeline.ts';
import { Ingestor } from '../../src/ingest/ingestor.ts';
import { contentHash } from '../../src/sources/shared/content-hash.ts';
import type { ParsedRecord } from '../../src/sources/source-format.ts';
import { TrainingFiles } from '../../src/datasets/training-files.ts';

/** One message of a seeded session: text, or blocks. */
export type Turn = {
  role: Role;
  content: string | Block[];
  kind?: MessageKind;
  responseId?: string;
  speaker?: string;
};

export const user = (text: string): Turn => ({ role: 'user', content: text });
export const assistant = (text: string): Turn => ({ role: 'assistant', content: text });
export const call = (id: string, name: string, input: unknown, text = ''): Turn => ({
  role: 'assistant',
  content: [...(text ? [{ type: 'text' as const, text }] : []), { type: 'tool_use', id, name, input }],
});
export const result = (id: string, output: string, isError = false): Turn => ({
  role: 'tool',
  content: [{ type: 'tool_result', toolUseId: id, content: output, isError }],
});

export async function openAgentlog(dir: string, datasets: Partial<BuildOptions> = {}): Promise<Agentlog> {
  const config = loadConfig({ flags: { dataDir: dir }, env: {}, home: dir });
  config.datasets = { ...config.datasets, build: { ...config.datasets.build, ...datasets } };
  return createAgentlog(config);
}

export function filesOf(agentlog: Agentlog): TrainingFiles {
  return new TrainingFiles({
    store: agentlog.store,
    blobs: agentlog.blobs,
    projectId: agentlog.project.id,
    config: agentlog.config.datasets,
  });
}

export type SeedOptions = {
  source?: string;
  status?: SessionStatus;
  title?: string;
  startedAt?: number;
  /** Redaction and enrichment at ingest (default: mask, enrich). */
  pipeline?: Partial<PipelineSettings>;
};

/**
 * Writes a session through the Ingestor (the one write path), as an import would: status
 * `imported` unless asked otherwise; `completed` is reached through its real transitions.
 */
export async function seedSession(
  agentlog: Agentlog,
  name: string,
  turns: Turn[],
  options: SeedOptions = {},
): Promise<string> {
  await writeSessions(agentlog, [[name, turns]], options);
  return finish(agentlog, name, options);
}

/** Many sessions in one ingest (one commit): `s0`, `s1`, … of `codingTurns`. */
export async function seedCodingSessions(agentlog: Agentlog, count: number): Promise<void> {
  const sessions = Array.from({ length: count }, (_, i): [string, Turn[]] => [`s${i}`, codingTurns(i)]);
  await writeSessions(agentlog, sessions, {});
}

async function writeSessions(
  agentlog: Agentlog,
  sessions: [string, Turn[]][],
  options: SeedOptions,
): Promise<void> {
  const source = options.source ?? 'fixture';
  const settings: PipelineSettings = {
    redaction: { policy: 'mask', pii: true },
    enrich: true,
    domainRules: [],
    ...options.pipeline,
  };
  const ingestor = new Ingestor(agentlog.store, agentlog.project.id, source, new IngestPipeline(settings));
  const start = options.startedAt ?? Date.UTC(2026, 0, 1);
  const initial: SessionStatus = options.status === 'completed' ? 'active' : (options.status ?? 'imported');
  for (const [name, turns] of sessions) {
    turns.forEach((turn, i) =>
      ingestor.add(recordOf(source, name, turn, i, start, initial, options.title), null),
    );
    if (ingestor.full) await ingestor.flush();
  }
  await ingestor.flush();
}

function recordOf(
  source: string,
  name: string,
  turn: Turn,
  i: number,
  start: number,
  status: SessionStatus,
  title: string | undefined,
): ParsedRecord {
  const blocks: Block[] =
    typeof turn.content === 'string' ? [{ type: 'text', text: turn.content }] : turn.content;
  const hasResult = blocks.some((b) => b.type === 'tool_result');
  return {
    recordType: 'message',
    sessionExternalId: name,
    sessions: [
      {
        source,
        externalId: name,
        status,
        timestamp: start + i * 1000,
        ...(title === undefined ? {} : { title }),
      },
    ],
    message: {
      source,
      sessionExternalId: name,
      externalId: `${name}#${i}`,
      parentExternalId: null,
      role: turn.role,
      kind: turn.kind ?? (hasResult ? 'tool_result' : 'message'),
      speaker: turn.speaker === undefined ? null : { name: turn.speaker, role: turn.role },
      blocks,
      text: textOf(blocks),
      model: null,
      usage: null,
      responseId: turn.responseId ?? null,
      timestamp: start + i * 1000,
      seq: i,
      contentHash: contentHash(turn.role, blocks),
      meta: {},
    },
    usage: null,
    images: [],
    problem: null,
  };
}

async function finish(agentlog: Agentlog, name: string, options: SeedOptions): Promise<string> {
  const start = options.startedAt ?? Date.UTC(2026, 0, 1);
  const [session] = await agentlog.store.findSessions(agentlog.project.id, name);
  if (session === undefined) throw new Error(`session ${name} was not stored`);
  if (options.status === 'completed') {
    const steps: [SessionStatus, SessionStatus][] = [
      ['active', 'stopped'],
      ['stopped', 'processing'],
      ['processing', 'completed'],
    ];
    for (const [from, to] of steps)
      await agentlog.store.transitionSession({
        sessionId: session.id,
        from: [from],
        to,
        reason: 'test',
        at: start,
      });
  }
  return session.id;
}

/** A small coding conversation with a tool round trip; `n` varies its words so sessions differ. */
export function codingTurns(n: number): Turn[] {
  const topics = [
    'parser',
    'scheduler',
    'cache',
    'router',
    'logger',
    'uploader',
    'indexer',
    'mailer',
    'queue',
    'billing',
  ];
  const topic = `${topics[n % topics.length]} ${n}`;
  return [
    user(`Please look at the ${topic} module and tell me why test number ${n} fails on CI.`),
    call(
      `call_${n}_a`,
      'Bash',
      { command: `npm test -- ${topic.replace(' ', '-')}` },
      'Let me run that test first.',
    ),
    result(`call_${n}_a`, `FAIL ${topic}: expected ${n} to equal ${n + 1}`),
    assistant(
      `The ${topic} test fails because the counter starts at ${n} instead of ${n + 1}. ` +
        `Initialise it from the configuration in the constructor, and the assertion on line ${10 + n} will pass. ` +
        `I would also add a test for the empty configuration case, which is not covered yet.`,
    ),
  ];
}
