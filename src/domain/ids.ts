import { createHash } from 'node:crypto';

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Ids derived from natural keys, so the same source record always gets the same id, on any
 * machine and any store: re-imports and replays need no lookup to stay idempotent.
 */
export function stableId(prefix: string, ...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  let out = '';
  for (let i = 0; i < 16; i++) out += alphabet[digest[i]! & 31];
  return `${prefix}_${out}`;
}

export function sessionIdFor(projectId: number, source: string, externalId: string): string {
  return stableId('ses', String(projectId), source, externalId);
}
