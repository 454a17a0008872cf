import { createHash } from 'node:crypto';
import type { MessageInput } from '../../domain/message.ts';

// Rollbacks undo the last turn or few (the TUI's backtrack); longer ones mark what is still held.
const turnsHeld = 16;

/**
 * The messages of the latest user turns, so that `thread_rolled_back {num_turns}` can mark the
 * messages it took out of the conversation. Codex drops history from the n-th last prompt of the
 * human on (injected context does not start a turn); what came before the first prompt stays.
 */
export class TurnHistory {
  private turns: MessageInput[][] = [];

  /** A message was stored; a prompt of the human starts a turn. */
  add(m: MessageInput): void {
    if (m.role === 'user' && m.kind === 'message') {
      this.turns.push([m]);
      if (this.turns.length > turnsHeld) this.turns.shift();
      return;
    }
    const turn = this.turns.at(-1);
    if (turn === undefined) return;
    // A mirrored item replacing its event copy keeps the key: the newer version is the one held.
    const at = turn.findIndex((held) => held.externalId === m.externalId);
    if (at === -1) turn.push(m);
    else turn[at] = m;
  }

  /** Takes out the last `count` turns and returns their messages marked `rewound`, as revisions. */
  rollBack(count: number): MessageInput[] {
    if (!Number.isInteger(count) || count <= 0) return [];
    const dropped = this.turns.splice(Math.max(this.turns.length - count, 0));
    return dropped.flat().map(markRolledBack);
  }
}

/** `rewound`: the same mark Gemini's `$rewindTo` leaves, so one flag means "taken out by the agent". */
function markRolledBack(m: MessageInput): MessageInput {
  // The store replaces a revisable message when its hash changes: the mark is part of the version.
  const contentHash = createHash('sha256')
    .update(m.contentHash)
    .update('\0rewound')
    .digest('hex')
    .slice(0, m.contentHash.length);
  return { ...m, meta: { ...m.meta, rewound: true }, contentHash, revisable: true };
}
