import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { apiKeyScopes, keyAllows, type ApiKey, type ApiKeyScope } from '../domain/api-key.ts';
import { AgentlogError } from '../domain/errors.ts';
import type { Store } from '../storage/ports.ts';

/**
 * A key reads `alk_<16 id chars>_<43 secret chars>`. The id is public (listed, revoked by it);
 * only the sha256 of the whole key is stored. The secret has 256 random bits, so a fast hash is
 * enough: nothing can be guessed by trying.
 */
const prefix = 'alk_';
const idChars = 16;
const idLength = prefix.length + idChars;
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/** Who is calling: the key's project is the only one it can see. */
export type Principal = { keyId: string; projectId: number; projectName: string; scopes: ApiKeyScope[] };

export type IssuedKey = { key: string; apiKey: ApiKey };

const createHint = 'Create one with `npx agentlog keys create --project NAME`.';

function newKeyId(): string {
  let out = prefix;
  for (const byte of randomBytes(idChars)) out += alphabet[byte & 31];
  return out;
}

function hashOf(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

export function parseScopes(text: string): ApiKeyScope[] {
  const scopes = [...new Set(text.split(',').map((s) => s.trim()))].filter((s) => s.length > 0);
  const unknown = scopes.filter((s) => !(apiKeyScopes as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new AgentlogError('INVALID_ARGUMENT', `Unknown scope "${unknown[0] ?? text}".`, {
      hint: `Scopes are a comma-separated list of ${apiKeyScopes.join(', ')}.`,
    });
  }
  return scopes as ApiKeyScope[];
}

/** Creates a key for a project (creating the project if needed); the key text exists only in the answer. */
export async function issueApiKey(
  store: Store,
  options: { projectName: string; scopes: ApiKeyScope[]; name?: string | undefined },
): Promise<IssuedKey> {
  const project = await store.ensureProject(options.projectName);
  const id = newKeyId();
  const key = `${id}_${randomBytes(32).toString('base64url')}`;
  const apiKey = await store.createApiKey({
    id,
    projectId: project.id,
    name: options.name ?? null,
    scopes: options.scopes,
    secretHash: hashOf(key),
    createdAt: Date.now(),
  });
  return { key, apiKey };
}

/** The caller behind a bearer token; UNAUTHORIZED for a missing, unknown, wrong or revoked key. */
export async function authenticate(store: Store, token: string | null): Promise<Principal> {
  if (token === null || token.length === 0) {
    throw new AgentlogError('UNAUTHORIZED', 'The request carries no API key.', {
      hint: `Send "Authorization: Bearer <key>". ${createHint}`,
    });
  }
  // Made only when thrown: an error captures a stack, and this runs on every request.
  const invalid = () =>
    new AgentlogError('UNAUTHORIZED', 'The API key is not valid.', {
      hint: `Check that the whole key was sent. ${createHint}`,
    });
  if (!token.startsWith(prefix) || token[idLength] !== '_') throw invalid();
  const stored = await store.findApiKey(token.slice(0, idLength));
  if (stored === null || !timingSafeEqual(hashOf(token), stored.secretHash)) throw invalid();
  if (stored.revokedAt !== null) {
    throw new AgentlogError('UNAUTHORIZED', `The API key ${stored.id} was revoked.`, { hint: createHint });
  }
  return {
    keyId: stored.id,
    projectId: stored.projectId,
    projectName: stored.projectName,
    scopes: stored.scopes,
  };
}

/** FORBIDDEN unless the key has the scope (or `admin`). */
export function requireScope(principal: Principal, scope: ApiKeyScope): void {
  if (keyAllows(principal.scopes, scope)) return;
  throw new AgentlogError(
    'FORBIDDEN',
    `The API key ${principal.keyId} lacks the "${scope}" scope (it has ${principal.scopes.join(', ')}).`,
    { hint: `Create a key with --scopes ${scope}.` },
  );
}

export async function revokeApiKey(store: Store, id: string): Promise<ApiKey> {
  const key = await store.revokeApiKey(id, Date.now());
  if (key === null) {
    throw new AgentlogError('NOT_FOUND', `No API key ${id}.`, { hint: 'See `npx agentlog keys list`.' });
  }
  return key;
}
