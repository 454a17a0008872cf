/** What a key may do: `ingest` writes, `read` reads its project, `admin` may do everything. */
export const apiKeyScopes = ['ingest', 'read', 'admin'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export const defaultApiKeyScopes: readonly ApiKeyScope[] = ['ingest', 'read'];

/** An API key as listed: `id` is its public part; the secret is only ever stored hashed. */
export type ApiKey = {
  id: string;
  projectId: number;
  projectName: string;
  name: string | null;
  scopes: ApiKeyScope[];
  createdAt: number;
  revokedAt: number | null;
};

export function keyAllows(scopes: readonly ApiKeyScope[], needed: ApiKeyScope): boolean {
  return scopes.includes('admin') || scopes.includes(needed);
}
