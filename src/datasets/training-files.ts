import { randomUUID } from 'node:crypto';
import { buildOptionsSchema, type BuildOptions, type DatasetsConfig } from '../config/datasets-config.ts';
import { AgentlogError } from '../domain/errors.ts';
import { stableId } from '../domain/ids.ts';
import type { DatasetFormat, TrainingFile, TrainingFileBuild } from '../domain/training-file.ts';
import type { BlobStore, Store } from '../storage/ports.ts';
import { buildTrainingFile } from './build/build-training-file.ts';
import type {
  BuildRequest,
  BuildSummary,
  CreateResult,
  FileSession,
  ListResult,
  MembershipResult,
  SessionsResult,
  ShowResult,
} from './dataset-contract.ts';
import { jsonlTargets, type JsonlTarget } from './formats/target-format.ts';
import { requireFinished, resolveSessionRefs, sessionsMatching } from './select-sessions.ts';

export type TrainingFilesDeps = { store: Store; blobs: BlobStore; projectId: number; config: DatasetsConfig };

export type CreateInput = { name: string; description?: string; sessions?: string[]; filter?: string };

export type BuildRun = { out?: string; onProgress?: (done: number, total: number) => void };

/**
 * Training files of one project: the library API that `agentlog dataset` and /v1/training-files
 * are thin over. Files are referred to by id, unique id prefix or name.
 */
export class TrainingFiles {
  readonly deps: TrainingFilesDeps;

  constructor(deps: TrainingFilesDeps) {
    this.deps = deps;
  }

  async create(input: CreateInput, now = Date.now()): Promise<CreateResult> {
    const { store, projectId } = this.deps;
    let ids: string[];
    let notFinished = 0;
    if (input.filter !== undefined) {
      ({ ids, notFinished } = await sessionsMatching(store, projectId, input.filter, now));
      if (ids.length === 0)
        throw new AgentlogError(
          'INVALID_ARGUMENT',
          `No finished session matches "${input.filter}"${notFinished > 0 ? ` (${notFinished} match but have not finished processing)` : ''}.`,
          {
            hint: 'Check the filter against `npx agentlog sessions list`.',
          },
        );
    } else if (input.sessions !== undefined && input.sessions.length > 0) {
      ids = await resolveSessionRefs(store, projectId, input.sessions);
      await requireFinished(store, projectId, ids);
    } else {
      throw new AgentlogError('INVALID_ARGUMENT', 'A training file starts with sessions.', {
        hint: 'Give --sessions ID,… or --filter EXPR.',
      });
    }
    const file = {
      id: stableId('tf', String(projectId), input.name, randomUUID()),
      projectId,
      name: input.name,
      description: input.description ?? null,
      createdAt: now,
    };
    const created = await store.createTrainingFile({ file, sessionIds: ids });
    if (!created.ok)
      throw new AgentlogError('CONFLICT', `A training file named "${input.name}" already exists.`, {
        hint: 'Choose another name, or add sessions to it: npx agentlog dataset add NAME --sessions …',
      });
    return { trainingFile: created.file, added: ids.length, notFinished };
  }

  /** The file a ref names: its id, a unique id prefix, or its name. */
  async get(ref: string): Promise<TrainingFile> {
    const found = await this.deps.store.findTrainingFiles(this.deps.projectId, ref);
    if (found.length === 1) return found[0]!;
    if (found.length === 0)
      throw new AgentlogError('NOT_FOUND', `No training file matches "${ref}".`, {
        hint: 'See `npx agentlog dataset list`.',
      });
    throw new AgentlogError(
      'AMBIGUOUS',
      `"${ref}" matches ${found.length} training files: ${found.map((f) => f.id).join(', ')}.`,
      {
        hint: 'Give more characters of the id, or the name.',
      },
    );
  }

  async list(): Promise<ListResult> {
    return { trainingFiles: await this.deps.store.listTrainingFiles(this.deps.projectId) };
  }

  async show(ref: string): Promise<ShowResult> {
    const file = await this.get(ref);
    return { trainingFile: file, builds: await this.deps.store.trainingFileBuilds(file.id) };
  }

  async sessions(ref: string): Promise<SessionsResult> {
    const file = await this.get(ref);
    const sessions: FileSession[] = [];
    for await (const member of this.deps.store.trainingFileSessions(file.id)) {
      const s = await this.deps.store.getSession(member.sessionId);
      sessions.push({
        sessionId: member.sessionId,
        addedAt: member.addedAt,
        source: s?.source ?? null,
        title: s?.title ?? null,
        status: s?.status ?? null,
        messageCount: s?.messageCount ?? 0,
        startedAt: s?.startedAt ?? null,
      });
    }
    return { sessions };
  }

  /** Adds sessions; one already in the file refuses the whole request, naming each such session. */
  async add(ref: string, refs: readonly string[], now = Date.now()): Promise<MembershipResult> {
    const { store, projectId } = this.deps;
    const file = await this.get(ref);
    const ids = await resolveSessionRefs(store, projectId, refs);
    await requireFinished(store, projectId, ids);
    const outcome = await store.addTrainingFileSessions({ fileId: file.id, sessionIds: ids, at: now });
    if (!outcome.ok)
      throw new AgentlogError(
        'CONFLICT',
        `Already in ${file.name}: ${outcome.sessions.join(', ')}. Nothing was added.`,
        {
          hint: 'Leave those sessions out of --sessions.',
        },
      );
    return { trainingFile: outcome.file, sessions: ids };
  }

  async remove(ref: string, refs: readonly string[], now = Date.now()): Promise<MembershipResult> {
    const { store, projectId } = this.deps;
    const file = await this.get(ref);
    const ids = await resolveSessionRefs(store, projectId, refs);
    const outcome = await store.removeTrainingFileSessions({ fileId: file.id, sessionIds: ids, at: now });
    if (!outcome.ok)
      throw new AgentlogError(
        'NOT_FOUND',
        `Not in ${file.name}: ${outcome.sessions.join(', ')}. Nothing was removed.`,
        {
          hint: 'See `npx agentlog dataset sessions ID`.',
        },
      );
    return { trainingFile: outcome.file, sessions: ids };
  }

  async delete(ref: string): Promise<{ deleted: string }> {
    const file = await this.get(ref);
    await this.deps.store.deleteTrainingFile(file.id);
    return { deleted: file.id };
  }

  /** The options of a build: the configured defaults, then the request's own. */
  options(overrides: BuildRequest): BuildOptions {
    const parsed = buildOptionsSchema.safeParse({ ...this.deps.config.build, ...overrides });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AgentlogError(
        'INVALID_ARGUMENT',
        `Build option ${issue?.path.join('.')}: ${issue?.message}.`,
      );
    }
    return parsed.data;
  }

  async build(ref: string, overrides: BuildRequest = {}, run: BuildRun = {}): Promise<BuildSummary> {
    const file = await this.get(ref);
    return buildTrainingFile(this.deps, {
      file,
      options: this.options(overrides),
      now: Date.now(),
      workers: this.deps.config.workers,
      ...(run.out === undefined ? {} : { out: run.out }),
      ...(run.onProgress === undefined ? {} : { onProgress: run.onProgress }),
    });
  }

  /**
   * The newest build of a kind: `json` (the document) or `jsonl` (a JSONL target: the one asked
   * for, else any); when there is none, one is built now with the configured options.
   */
  async latestBuild(ref: string, kind: 'json' | 'jsonl', target?: JsonlTarget): Promise<TrainingFileBuild> {
    const file = await this.get(ref);
    const wanted = (format: DatasetFormat) =>
      kind === 'json'
        ? format === 'json'
        : target === undefined
          ? (jsonlTargets as readonly string[]).includes(format)
          : format === target;
    const builds = await this.deps.store.trainingFileBuilds(file.id);
    const found = builds.find((b) => wanted(b.format));
    if (found !== undefined) return found;
    const format: DatasetFormat = kind === 'json' ? 'json' : (target ?? 'openai');
    const summary = await this.build(file.id, { format });
    const made = (await this.deps.store.trainingFileBuilds(file.id)).find(
      (b) => b.version === summary.version,
    );
    if (made === undefined)
      throw new AgentlogError('INTERNAL', `Build ${summary.version} of ${file.id} was not recorded.`);
    return made;
  }
}
