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
 * Pairs are matched by role and text (whitespace aside) within the current turn.
 */
export class MessageMirror {
  private items: Said[] = [];
  private events: Said[] = [];

  /** A turn began: nothing before it is mirrored after it. */
  reset(): void {
    this.items = [];
    this.events = [];
  }

  onItem(said: Said): MirrorDecision {
    const event = take(this.events, said);
    if (event === null) {
      remember(this.items, said);
      return { keep: true, externalId: said.externalId, revises: false };
    }
    if (event.contentHash === said.contentHash) return { keep: false, mirrorOf: event.externalId };
    return { keep: true, externalId: event.externalId, revises: true };
  }

  onEvent(said: Said): MirrorDecision {
    const item = take(this.items, said);
    if (item !== null) return { keep: false, mirrorOf: item.externalId };
    remember(this.events, said);
    return { keep: true, externalId: said.externalId, revises: false };
  }
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
