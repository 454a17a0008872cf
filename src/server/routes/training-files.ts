import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DatasetsConfig } from '../../config/datasets-config.ts';
import {
  buildRequestSchema,
  createTrainingFileSchema,
  downloadQuerySchema,
  membershipSchema,
  validateQuerySchema,
  type BuildSummary,
  type CreateResult,
  type DownloadResult,
  type ListResult,
  type MembershipResult,
  type SessionsResult,
  type ShowResult,
  type ValidationReport,
} from '../../datasets/dataset-contract.ts';
import { TrainingFileDownloads } from '../../datasets/downloads.ts';
import { loadSigningKey } from '../../datasets/signing-key.ts';
import { TrainingFiles } from '../../datasets/training-files.ts';
import { defaultFileValidation, validateFile } from '../../datasets/validate/validate-file.ts';
import type { BlobStore, Store } from '../../storage/ports.ts';
import { principalOf } from '../auth-hook.ts';
import { parseInput } from '../zod-reason.ts';

/** What the training-file routes need beyond the store: built files and the URL signing key. */
export type TrainingFileRouteDeps = {
  store: Store;
  blobs: BlobStore;
  config: DatasetsConfig;
  /** The agentlog home, where the generated signing key lives. */
  dataDir: string;
  /** Bytes of a file sent to /v1/training-files:validate at most. */
  maxValidateBytes: number;
};

const fileParams = z.object({ id: z.string().min(1) });
const builtFileParams = z.object({
  id: z.string().min(1),
  version: z.coerce.number().int().min(1),
  name: z.string().min(1),
});

/**
 * Training files over HTTP (/v1/training-files): the same operations and answers as the library
 * and `agentlog dataset`; payloads in datasets/dataset-contract.ts. Reads need the `read` scope,
 * changes `ingest`. Built files are fetched through signed URLs that need no key.
 */
export function registerTrainingFileRoutes(app: FastifyInstance, deps: TrainingFileRouteDeps): void {
  const filesOf = (request: FastifyRequest) =>
    new TrainingFiles({
      store: deps.store,
      blobs: deps.blobs,
      projectId: principalOf(request).projectId,
      config: deps.config,
    });
  const downloads = new TrainingFileDownloads(
    () => loadSigningKey(deps.dataDir, deps.config.signingSecret),
    deps.config.urlExpirySeconds,
  );
  const id = (request: FastifyRequest) => parseInput(fileParams, request.params, 'path').id;
  const read = { config: { access: 'read' as const } };
  const write = { config: { access: 'ingest' as const } };

  app.get('/v1/training-files', read, async (request) => {
    const body: ListResult = await filesOf(request).list();
    return body;
  });

  app.post('/v1/training-files', write, async (request, reply) => {
    const input = parseInput(createTrainingFileSchema, request.body, 'body');
    const body: CreateResult = await filesOf(request).create({
      name: input.name,
      ...(input.description === undefined ? {} : { description: input.description }),
      ...(input.sessions === undefined ? {} : { sessions: input.sessions }),
      ...(input.filter === undefined ? {} : { filter: input.filter }),
    });
    return reply.code(201).send(body);
  });

  app.get('/v1/training-files/:id', read, async (request) => {
    const body: ShowResult = await filesOf(request).show(id(request));
    return body;
  });

  app.delete('/v1/training-files/:id', write, async (request) => filesOf(request).delete(id(request)));

  app.get('/v1/training-files/:id/sessions', read, async (request) => {
    const body: SessionsResult = await filesOf(request).sessions(id(request));
    return body;
  });

  app.post('/v1/training-files/:id/sessions', write, async (request) => {
    const { sessions } = parseInput(membershipSchema, request.body, 'body');
    const body: MembershipResult = await filesOf(request).add(id(request), sessions);
    return body;
  });

  app.post('/v1/training-files/:id/sessions::remove', write, async (request) => {
    const { sessions } = parseInput(membershipSchema, request.body, 'body');
    const body: MembershipResult = await filesOf(request).remove(id(request), sessions);
    return body;
  });

  app.post('/v1/training-files/:id/builds', write, async (request, reply) => {
    const options = parseInput(buildRequestSchema, request.body ?? {}, 'body');
    const body: BuildSummary = await filesOf(request).build(id(request), options);
    return reply.code(201).send(body);
  });

  app.get('/v1/training-files/:id/download', read, async (request) => {
    const query = parseInput(downloadQuerySchema, request.query, 'query');
    const base = `${request.protocol}://${request.host}`;
    const body: DownloadResult = await downloads.signed(
      filesOf(request),
      id(request),
      query,
      base,
      Date.now(),
    );
    return body;
  });

  app.get(
    '/v1/training-files/:id/builds/:version/files/:name',
    { config: { access: 'public' } },
    async (request, reply) => {
      const where = parseInput(builtFileParams, request.params, 'path');
      const { expires, signature } = (request.query ?? {}) as Record<string, unknown>;
      const file = await downloads.open(
        deps,
        { fileId: where.id, version: where.version, name: where.name },
        { expires, signature },
        Date.now(),
      );
      reply.type(file.contentType);
      reply.header('content-disposition', `attachment; filename="${file.file.name}"`);
      return reply.send(Readable.from(file.body));
    },
  );

  registerValidateRoute(app, deps);
}

/** POST a JSONL file (any content type; the body is read as bytes) and get the validation report. */
function registerValidateRoute(app: FastifyInstance, deps: TrainingFileRouteDeps): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: deps.maxValidateBytes },
      (_request, body, done) => done(null, body),
    );
    scope.post('/v1/training-files::validate', { config: { access: 'read' } }, async (request) => {
      const query = parseInput(validateQuerySchema, request.query, 'query');
      const dir = await mkdtemp(join(tmpdir(), 'agentlog-validate-'));
      try {
        const path = join(dir, 'upload.jsonl');
        await writeFile(path, Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
        const body: ValidationReport = await validateFile(path, {
          ...defaultFileValidation,
          format: query.format,
          ...(query.maxExampleTokens === undefined ? {} : { maxExampleTokens: query.maxExampleTokens }),
          ...(query.minExamples === undefined ? {} : { minExamples: query.minExamples }),
        });
        return body;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
