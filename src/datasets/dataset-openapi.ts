import type { z } from 'zod';
import { componentSchemas, json, queryParameters } from '../openapi/openapi-parts.ts';
import {
  buildRecordSchema,
  buildRequestSchema,
  buildSummarySchema,
  createResultSchema,
  createTrainingFileSchema,
  deleteResultSchema,
  downloadQuerySchema,
  downloadResultSchema,
  listResultSchema,
  membershipResultSchema,
  membershipSchema,
  sessionsResultSchema,
  showResultSchema,
  signedFileQuerySchema,
  validateQuerySchema,
  validationReportSchema,
} from './dataset-contract.ts';

/**
 * The /v1/training-files routes as OpenAPI paths and component schemas, generated from the
 * contract (dataset-contract.ts); server/openapi.ts merges them into the server's document.
 */

const named: [string, z.ZodType][] = [
  ['TrainingFileCreateRequest', createTrainingFileSchema],
  ['TrainingFileCreateResult', createResultSchema],
  ['TrainingFileList', listResultSchema],
  ['TrainingFileShow', showResultSchema],
  ['TrainingFileBuildRecord', buildRecordSchema],
  ['TrainingFileSessions', sessionsResultSchema],
  ['TrainingFileMembershipRequest', membershipSchema],
  ['TrainingFileMembershipResult', membershipResultSchema],
  ['TrainingFileDeleteResult', deleteResultSchema],
  ['TrainingFileBuildRequest', buildRequestSchema],
  ['TrainingFileBuildSummary', buildSummarySchema],
  ['TrainingFileDownload', downloadResultSchema],
  ['TrainingFileValidation', validationReportSchema],
];

const fileId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'A training file id (tf_…), a unique id prefix, or its name.',
  schema: { type: 'string' },
};

const error = (description: string) => ({ description, content: json('Error') });
const readErrors = {
  '400': error('Invalid request (INVALID_ARGUMENT)'),
  '401': error('No key, an unknown key or a revoked key (UNAUTHORIZED)'),
  '403': error('The key lacks the scope (FORBIDDEN)'),
  '404': error('No such training file or session in the key’s project (NOT_FOUND)'),
};
const writeErrors = {
  ...readErrors,
  '409': error(
    'A name taken, a session already in the file, or a session that has not finished processing (CONFLICT)',
  ),
};
const ok = (description: string, id: string, status = '200') => ({
  [status]: { description, content: json(id) },
});

function paths(): Record<string, unknown> {
  const base = '/v1/training-files/{id}';
  return {
    '/v1/training-files': {
      get: {
        summary: 'List training files, newest first',
        description: 'Scope: read.',
        responses: { ...ok('The training files', 'TrainingFileList'), ...readErrors },
      },
      post: {
        summary: 'Create a training file from sessions (ids or a filter)',
        description:
          'Only sessions that finished processing (completed; imported and enriched) can be added. With a filter, matching sessions that have not finished are left out and counted. Scope: ingest.',
        requestBody: { required: true, content: json('TrainingFileCreateRequest') },
        responses: { ...ok('Created', 'TrainingFileCreateResult', '201'), ...writeErrors },
      },
    },
    [base]: {
      get: {
        summary: 'A training file and its builds, newest first',
        description: 'Scope: read.',
        parameters: [fileId],
        responses: { ...ok('The training file', 'TrainingFileShow'), ...readErrors },
      },
      delete: {
        summary: 'Delete a training file and its build records',
        description: 'Built files stay in the blob store. Scope: ingest.',
        parameters: [fileId],
        responses: { ...ok('Deleted', 'TrainingFileDeleteResult'), ...readErrors },
      },
    },
    [`${base}/sessions`]: {
      get: {
        summary: 'The sessions of a training file',
        description: 'Scope: read.',
        parameters: [fileId],
        responses: { ...ok('The sessions', 'TrainingFileSessions'), ...readErrors },
      },
      post: {
        summary: 'Add sessions',
        description:
          'A session already in the file refuses the whole request (409, naming the sessions); nothing is skipped silently. Scope: ingest.',
        parameters: [fileId],
        requestBody: { required: true, content: json('TrainingFileMembershipRequest') },
        responses: { ...ok('Added', 'TrainingFileMembershipResult'), ...writeErrors },
      },
    },
    [`${base}/sessions:remove`]: {
      post: {
        summary: 'Remove sessions',
        description: 'A session not in the file refuses the whole request (404, naming it). Scope: ingest.',
        parameters: [fileId],
        requestBody: { required: true, content: json('TrainingFileMembershipRequest') },
        responses: { ...ok('Removed', 'TrainingFileMembershipResult'), ...readErrors },
      },
    },
    [`${base}/builds`]: {
      post: {
        summary: 'Build the training file (a new version)',
        description:
          'Examples, quality, validation, de-duplication, split and files with a manifest; the same inputs and options give byte-identical files. 422 when too few examples remain (nothing is written). Scope: ingest.',
        parameters: [fileId],
        requestBody: { required: false, content: json('TrainingFileBuildRequest') },
        responses: {
          ...ok('The build summary', 'TrainingFileBuildSummary', '201'),
          ...readErrors,
          '422': error('Validation failed: too few examples (VALIDATION_FAILED)'),
        },
      },
    },
    [`${base}/download`]: {
      get: {
        summary: 'Signed URLs of the newest build (built now when there is none)',
        description:
          'The URLs work without a key until expiresAt (datasets.urlExpirySeconds, default one hour); an altered or expired URL answers 403. Scope: read.',
        parameters: [fileId, ...queryParameters(downloadQuerySchema)],
        responses: { ...ok('The URLs', 'TrainingFileDownload'), ...readErrors },
      },
    },
    [`${base}/builds/{version}/files/{name}`]: {
      get: {
        summary: 'A built file, through a signed URL (no key needed)',
        security: [],
        parameters: [
          fileId,
          { name: 'version', in: 'path', required: true, schema: { type: 'integer' } },
          { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
          ...queryParameters(signedFileQuerySchema),
        ],
        responses: {
          '200': {
            description: 'The file',
            content: { 'application/octet-stream': { schema: { type: 'string' } } },
          },
          '403': error('The URL was altered or has expired (FORBIDDEN)'),
          '404': error('The file is no longer stored (NOT_FOUND)'),
        },
      },
    },
    '/v1/training-files:validate': {
      post: {
        summary: 'Validate a JSONL training file (the body, any content type)',
        description:
          'Format checks, tool linkage, token budget, duplicates, secrets and the minimum example count; the report says ok or lists errors and warnings by line. Scope: read.',
        parameters: queryParameters(validateQuerySchema),
        requestBody: { required: true, content: { 'application/x-ndjson': { schema: { type: 'string' } } } },
        responses: {
          ...ok('The validation report', 'TrainingFileValidation'),
          ...readErrors,
          '413': error('The file is larger than server.maxBodyBytes (PAYLOAD_TOO_LARGE)'),
        },
      },
    },
  };
}

export function datasetOpenApi(): { paths: Record<string, unknown>; schemas: Record<string, unknown> } {
  return { paths: paths(), schemas: componentSchemas(named) };
}
