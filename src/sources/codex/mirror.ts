import type { Role } from '../../domain/message.ts';
import { withoutImageTags } from './image-tags.ts';

type Said = { role: Role; text: string; externalId: string; contentHash: string };

/** What to do with a message that Codex may also have written as its mirror image. */
export type MirrorDecision =
  { keep: true; externalId: string; revises: boolean } | { keep: false; mirrorOf: string };

// Mirrors sit next to each other; a turn holds few messages, so a short memory is enough.
const memory = 16;

// Image marks differ between the two copies of a prompt (image-tags.ts).
const normal = (text: string) => withoutImageTags(text).replace(/\s+/g, '');

/**
 * Codex writes each user and assistant message twice: as a `response_item` message (what the model
 * saw) and as an `event_msg` `user_message`/`agent_message` (what the UI showed). One of each pair
 * is kept, chosen here explicitly:
 *   - an event whose item came first (user prompts) is dropped;
 *   - an event that comes first (assistant replies) is kept under its own key, because the item may
 *     never follow (event-only rollouts, e.g. Codex Desktop's user prompts); when the item follows,
 *     it takes the event's key and replaces it if it says more (`revisable`), or is dropped if it
 *     says the same.
 * Pairs are matched by role and text (whitespace aside) within the current turn. Newer rollouts
 * add a third copy, `item_completed` (see onCompleted).
 */
export class MessageMirror {
  private items: Said[] = [];
  private events: Said[] = [];
  /** Every message kept in this turn, and those of them kept from an `item_completed` copy. */
  private kept: Said[] = [];
  private completed: Said[] = [];

  /** A turn began: nothing before it is mirrored after it. */
  reset(): void {
    this.items = [];
    this.events = [];
    this.kept = [];
    this.completed = [];
  }

  onItem(said: Said): MirrorDecision {
    const event = take(this.events, said);
    if (event === null) {
      remember(this.items, said);
      remember(this.kept, said);
      return { keep: true, externalId: said.externalId, revises: false };
    }
    if (event.contentHash === said.contentHash) return { keep: false, mirrorOf: event.externalId };
    return { keep: true, externalId: event.externalId, revises: true };
  }

  onEvent(said: Said): MirrorDecision {
    const copied = find(this.completed, said);
    if (copied !== null) return { keep: false, mirrorOf: copied.externalId };
    const item = take(this.items, said);
    if (item !== null) return { keep: false, mirrorOf: item.externalId };
    remember(this.events, said);
    remember(this.kept, said);
    return { keep: true, externalId: said.externalId, revises: false };
  }

  /**
   * An `item_completed` UserMessage or AgentMessage (Codex 0.148+): a third copy, written instead
   * of user_message by some versions and maybe beside the others by some: it is kept only when
   * nothing kept in this turn says the same, and is then an event copy to the rest.
   */
  onCompleted(said: Said): MirrorDecision {
    const known = find(this.kept, said);
    if (known !== null) return { keep: false, mirrorOf: known.externalId };
    const decision = this.onEvent(said);
    if (decision.keep) remember(this.completed, said);
    return decision;
  }
}

function find(list: Said[], said: Said): Said | null {
  const text = normal(said.text);
  return list.find((s) => s.role === said.role && normal(s.text) === text) ?? null;
}

function take(list: Said[], said: Said): Said | null {
  const text = normal(said.text);
  const index = list.findIndex((s) => s.role === said.role && normal(s.text) === text);
  if (index === -1) return null;
  return list.splice(index, 1)[0]!;
}

function remember(list: Said[], said: Said): void {
  list.push(said);
  if (list.length > memory) list.shift();
}
