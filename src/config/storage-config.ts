import { z } from 'zod';

const blobsSchema = z
  .object({
    /** `s3://bucket/prefix`; absent: local files under `<data dir>/blobs`. */
    url: z
      .string()
      .regex(/^s3:\/\/[^/]+(\/.*)?$/, 'must look like s3://bucket or s3://bucket/prefix')
      .optional(),
    /** An S3-compatible server (MinIO, R2, s3rver); absent: AWS itself. */
    endpoint: z.url().optional(),
    region: z.string().min(1).default('us-east-1'),
    /** `http://host/bucket/key` addressing, which most S3-compatible servers need. */
    forcePathStyle: z.boolean().default(false),
    /** Absent: the AWS SDK's usual chain (AWS_* variables, profiles, instance roles). */
    accessKeyId: z.string().min(1).optional(),
    secretAccessKey: z.string().min(1).optional(),
  })
  .refine((b) => (b.accessKeyId === undefined) === (b.secretAccessKey === undefined), {
    message: 'accessKeyId and secretAccessKey go together',
  })
  .prefault({});

/** Where data lives: the embedded SQLite file and local files, or Postgres and S3 (distributed mode). */
export const storageSchema = z
  .object({
    /** `postgres://user:pass@host:5432/db`; absent: SQLite at `<data dir>/agentlog.db`. */
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    /** A schema other than the user's default (created when absent), so deployments can share a database. */
    databaseSchema: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier')
      .optional(),
    /** Connections per process. */
    databasePoolSize: z.number().int().min(1).max(200).default(10),
    blobs: blobsSchema,
  })
  .prefault({});

export type StorageConfig = z.infer<typeof storageSchema>;

type Env = Readonly<Record<string, string | undefined>>;

const boolean = (text: string) =>
  /^(1|true|yes)$/i.test(text) ? true : /^(0|false|no)$/i.test(text) ? false : text;

/**
 * AGENTLOG_DATABASE_URL, AGENTLOG_DATABASE_SCHEMA, AGENTLOG_DATABASE_POOL_SIZE, and for blobs
 * AGENTLOG_BLOB_URL, AGENTLOG_S3_ENDPOINT, AGENTLOG_S3_REGION, AGENTLOG_S3_FORCE_PATH_STYLE,
 * AGENTLOG_S3_ACCESS_KEY_ID, AGENTLOG_S3_SECRET_ACCESS_KEY over the file.
 */
export function storageInputs(
  fromFile: Record<string, unknown> | undefined,
  env: Env,
): Record<string, unknown> {
  const fileBlobs = (fromFile?.blobs ?? {}) as Record<string, unknown>;
  return {
    ...fromFile,
    ...(env.AGENTLOG_DATABASE_URL ? { databaseUrl: env.AGENTLOG_DATABASE_URL } : {}),
    ...(env.AGENTLOG_DATABASE_SCHEMA ? { databaseSchema: env.AGENTLOG_DATABASE_SCHEMA } : {}),
    ...(env.AGENTLOG_DATABASE_POOL_SIZE ? { databasePoolSize: Number(env.AGENTLOG_DATABASE_POOL_SIZE) } : {}),
    blobs: {
      ...fileBlobs,
      ...(env.AGENTLOG_BLOB_URL ? { url: env.AGENTLOG_BLOB_URL } : {}),
      ...(env.AGENTLOG_S3_ENDPOINT ? { endpoint: env.AGENTLOG_S3_ENDPOINT } : {}),
      ...(env.AGENTLOG_S3_REGION ? { region: env.AGENTLOG_S3_REGION } : {}),
      ...(env.AGENTLOG_S3_FORCE_PATH_STYLE
        ? { forcePathStyle: boolean(env.AGENTLOG_S3_FORCE_PATH_STYLE) }
        : {}),
      ...(env.AGENTLOG_S3_ACCESS_KEY_ID ? { accessKeyId: env.AGENTLOG_S3_ACCESS_KEY_ID } : {}),
      ...(env.AGENTLOG_S3_SECRET_ACCESS_KEY ? { secretAccessKey: env.AGENTLOG_S3_SECRET_ACCESS_KEY } : {}),
    },
  };
}

/** The bucket and key prefix of an `s3://bucket/prefix` URL. */
export function parseBlobUrl(url: string): { bucket: string; prefix: string } {
  const rest = url.slice('s3://'.length);
  const slash = rest.indexOf('/');
  if (slash === -1) return { bucket: rest, prefix: '' };
  return { bucket: rest.slice(0, slash), prefix: rest.slice(slash + 1) };
}
