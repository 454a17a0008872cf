import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { UsageInput } from '../../domain/raw-record.ts';

type Group = { has_primary: number; secondary_key: string | null };

/**
 * Writes usage rows by the copy rules of UsageCopyRules (sources/source-format.ts): one row per
 * response, the preferred copy kept, whatever order the copies arrive in. Runs inside the batch's
 * transaction.
 */
export class UsageWriter {
  private readonly existing: StatementSync;
  private readonly upsert: StatementSync;
  private readonly remove: StatementSync;
  private readonly group: StatementSync;
  private readonly markPrimary: StatementSync;
  private readonly setSecondary: StatementSync;
  private readonly promote: StatementSync;

  constructor(db: DatabaseSync) {
    this.existing = db.prepare(
      'SELECT secondary FROM usage WHERE project_id = ? AND source = ? AND dedup_key = ?',
    );
    // `key` may differ from the row's own key: a secondary copy merges into its group's row.
    this.upsert = db.prepare(`
      INSERT INTO usage (project_id, source, dedup_key, session_id, model, timestamp, input_tokens, output_tokens,
        cache_creation_tokens, cache_read_tokens, total_tokens, secondary, weight)
      VALUES (:project, :source, :key, :session, :model, :timestamp, :input, :output, :creation, :read, :total,
        :secondary, :weight)
      ON CONFLICT DO UPDATE SET
        session_id = excluded.session_id, model = excluded.model, timestamp = excluded.timestamp,
        input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
        cache_creation_tokens = excluded.cache_creation_tokens, cache_read_tokens = excluded.cache_read_tokens,
        total_tokens = excluded.total_tokens, secondary = excluded.secondary, weight = excluded.weight
      WHERE (-excluded.secondary, excluded.total_tokens, excluded.weight) > (-usage.secondary, usage.total_tokens, usage.weight)`);
    this.remove = db.prepare('DELETE FROM usage WHERE project_id = ? AND source = ? AND dedup_key = ?');
    this.group = db.prepare(
      'SELECT has_primary, secondary_key FROM usage_replay_groups WHERE project_id = ? AND source = ? AND group_key = ?',
    );
    this.markPrimary = db.prepare(`
      INSERT INTO usage_replay_groups (project_id, source, group_key, has_primary) VALUES (?, ?, ?, 1)
      ON CONFLICT DO UPDATE SET has_primary = 1, secondary_key = NULL`);
    this.setSecondary = db.prepare(`
      INSERT INTO usage_replay_groups (project_id, source, group_key, secondary_key) VALUES (?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET secondary_key = excluded.secondary_key
      WHERE usage_replay_groups.has_primary = 0 AND usage_replay_groups.secondary_key IS NULL`);
    // The row that stood for some groups' secondary copies is primary now: those groups have one.
    this.promote = db.prepare(`
      UPDATE usage_replay_groups SET has_primary = 1, secondary_key = NULL
      WHERE project_id = ? AND source = ? AND secondary_key = ?`);
  }

  write(projectId: number, sessionId: string, u: UsageInput): void {
    const secondary = u.secondary === true;
    const scope = [projectId, u.source] as const;
    const existing = this.existing.get(...scope, u.dedupKey) as { secondary: number } | undefined;
    const group =
      u.replayGroup === undefined
        ? undefined
        : (this.group.get(...scope, u.replayGroup) as Group | undefined);
    let key = u.dedupKey;
    if (
      !secondary &&
      group?.has_primary === 0 &&
      group.secondary_key !== null &&
      group.secondary_key !== key
    ) {
      // A primary copy arrives after secondary ones of its group: they no longer count.
      this.remove.run(...scope, group.secondary_key);
      this.promote.run(...scope, group.secondary_key);
    }
    if (secondary && existing === undefined && group !== undefined) {
      if (group.has_primary === 1) return;
      if (group.secondary_key !== null) key = group.secondary_key;
    }
    this.upsert.run({
      project: projectId,
      source: u.source,
      key,
      session: sessionId,
      model: u.model,
      timestamp: u.timestamp,
      input: u.inputTokens,
      output: u.outputTokens,
      creation: u.cacheCreationTokens,
      read: u.cacheReadTokens,
      total: u.inputTokens + u.outputTokens + u.cacheCreationTokens + u.cacheReadTokens,
      secondary: secondary ? 1 : 0,
      weight: u.weight ?? 0,
    });
    if (!secondary && existing?.secondary === 1) this.promote.run(...scope, u.dedupKey);
    if (u.replayGroup === undefined) return;
    const rowIsPrimary = !secondary || existing?.secondary === 0;
    if (!rowIsPrimary) this.setSecondary.run(...scope, u.replayGroup, key);
    // A group marked so already (every later copy of a response) would be rewritten unchanged,
    // a random page of the table dirtied for nothing.
    else if (group?.has_primary !== 1 || group.secondary_key !== null)
      this.markPrimary.run(...scope, u.replayGroup);
  }
}
