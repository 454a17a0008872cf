import { randomUUID } from 'node:crypto';
import { AgentlogError } from '../../domain/errors.ts';
import type { PgTx } from './pg-tx.ts';

/** How long a replica may write a checkpoint before another may take the project over (renewed per page). */
const leaseMs = 10 * 60_000;

/**
 * Which replica is writing a project's checkpoint: a row per project with its holder and an
 * expiry, so a replica that dies mid-checkpoint holds the project only until the lease ends.
 * The holder is this store: a process may plan again after its own failed checkpoint.
 */
export class CheckpointLease {
  private readonly db: PgTx;
  private readonly holder = randomUUID();

  constructor(db: PgTx) {
    this.db = db;
  }

  async take(projectId: number, now: number): Promise<void> {
    const taken = await this.db.q(
      `INSERT INTO checkpoint_leases AS l (project_id, holder, expires_at) VALUES (:projectId, :holder, :expires)
       ON CONFLICT (project_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE l.holder = excluded.holder OR l.expires_at < :now
       RETURNING project_id`,
      { projectId, holder: this.holder, expires: now + leaseMs, now },
    );
    if (taken.length > 0) return;
    const [lease] = await this.db.q<{ expires_at: number }>(
      'SELECT expires_at FROM checkpoint_leases WHERE project_id = :projectId',
      { projectId },
    );
    throw new AgentlogError(
      'CONFLICT',
      `Another process is writing a checkpoint of this project (its lease runs until ${new Date(lease?.expires_at ?? now).toISOString()}).`,
      { hint: 'Run the checkpoint again once that one is recorded: it will hold what is new since.' },
    );
  }

  async renew(projectId: number): Promise<void> {
    await this.db.q(
      'UPDATE checkpoint_leases SET expires_at = :expires WHERE project_id = :projectId AND holder = :holder',
      { projectId, holder: this.holder, expires: Date.now() + leaseMs },
    );
  }

  /** On `db`: the pool, or the transaction recording the checkpoint (released when it commits). */
  async release(db: PgTx, projectId: number): Promise<void> {
    await db.q('DELETE FROM checkpoint_leases WHERE project_id = :projectId AND holder = :holder', {
      projectId,
      holder: this.holder,
    });
  }
}
