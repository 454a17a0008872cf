import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { ApiKey, ApiKeyScope } from '../../domain/api-key.ts';
import type { NewApiKey, StoredApiKey } from '../ports.ts';

type KeyRow = {
  id: string;
  project_id: number;
  project_name: string;
  name: string | null;
  scopes: string;
  secret_hash: Uint8Array;
  created_at: number;
  revoked_at: number | null;
};

const selectKeys = `SELECT k.*, p.name AS project_name FROM api_keys k JOIN projects p ON p.id = k.project_id`;

function toApiKey(row: KeyRow): ApiKey {
  return {
    id: row.id,
    projectId: row.project_id,
    projectName: row.project_name,
    name: row.name,
    scopes: row.scopes.split(',').filter((s) => s.length > 0) as ApiKeyScope[],
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** API keys: looked up on every request, so the statements are prepared once. */
export class KeyQueries {
  private readonly insert: StatementSync;
  private readonly byId: StatementSync;
  private readonly all: StatementSync;
  private readonly ofProject: StatementSync;
  private readonly revoke: StatementSync;

  constructor(db: DatabaseSync) {
    this.insert = db.prepare(
      'INSERT INTO api_keys (id, project_id, name, scopes, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.byId = db.prepare(`${selectKeys} WHERE k.id = ?`);
    this.all = db.prepare(`${selectKeys} ORDER BY k.created_at, k.id`);
    this.ofProject = db.prepare(`${selectKeys} WHERE k.project_id = ? ORDER BY k.created_at, k.id`);
    this.revoke = db.prepare('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?');
  }

  create(key: NewApiKey): ApiKey {
    this.insert.run(key.id, key.projectId, key.name, key.scopes.join(','), key.secretHash, key.createdAt);
    return toApiKey(this.byId.get(key.id) as KeyRow);
  }

  find(id: string): StoredApiKey | null {
    const row = this.byId.get(id) as KeyRow | undefined;
    return row ? { ...toApiKey(row), secretHash: row.secret_hash } : null;
  }

  list(projectId?: number): ApiKey[] {
    const rows = projectId === undefined ? this.all.all() : this.ofProject.all(projectId);
    return (rows as KeyRow[]).map(toApiKey);
  }

  revokeKey(id: string, at: number): ApiKey | null {
    this.revoke.run(at, id);
    const row = this.byId.get(id) as KeyRow | undefined;
    return row ? toApiKey(row) : null;
  }
}
