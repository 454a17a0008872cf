/** Milliseconds since the epoch held by a UUIDv7 (its first 48 bits); null for other ids. */
export function uuidV7Time(id: string | undefined): number | null {
  if (id === undefined) return null;
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex) || hex[12] !== '7') return null;
  return Number.parseInt(hex.slice(0, 12), 16);
}

/**
 * Forks and sub-agents may start their rollout with a copy of the parent's history (its
 * session_meta, turns, messages and token counts, re-stamped at copy time). That copy belongs to
 * the parent: it is kept raw but neither becomes messages of the child nor counts as its usage.
 *
 * The copy starts after the child's own session_meta (when it names a parent) or at a session_meta
 * of another thread. It ends at the child's first own turn: a `thread_settings_applied` event of
 * the child, or a turn whose id (a UUIDv7, minted when the turn ran) is not older than the child.
 * A turn without a readable id also ends it: better to count a copy twice than to lose the child.
 */
export class InheritedPrefix {
  private inside = false;
  private createdAt: number | null = null;
  private threadId: string | null = null;

  /** The rollout's own session_meta; a fork or sub-agent (`child`) may be followed by a copy. */
  own(threadId: string, createdAt: number | null, child: boolean): void {
    this.threadId = threadId;
    this.createdAt = createdAt;
    if (child) this.inside = true;
  }

  /** A session_meta of another thread: a copy of that thread starts here. */
  foreignMeta(): void {
    this.inside = true;
  }

  get active(): boolean {
    return this.inside;
  }

  /** A turn begins (turn_context, task_started, turn_started): is it the child's own? */
  turn(turnId: string | undefined): void {
    if (!this.inside) return;
    const time = uuidV7Time(turnId);
    if (time === null || this.createdAt === null || time >= this.createdAt) this.inside = false;
  }

  /** `thread_settings_applied` names the thread that applied it; the child's own ends the copy. */
  settingsApplied(threadId: string | undefined): void {
    if (this.inside && threadId !== undefined && threadId === this.threadId) this.inside = false;
  }
}
