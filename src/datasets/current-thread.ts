import type { Session } from '../domain/session.ts';
import { chatgptSource } from '../sources/chatgpt/schema.ts';
import { openaiChatSource } from '../sources/openai-chat/schema.ts';
import type { Store, TrainingMessage } from '../storage/ports.ts';

/**
 * Sources that keep a conversation's other branches beside its thread: ChatGPT's edits and
 * regenerations, an OpenAI preference pair's rejected answer. They mark each message
 * `meta.canonical`; ChatGPT also names the thread's last message (`meta.currentNode` of the session).
 */
const branchingSources = new Set([chatgptSource, openaiChatSource]);

/** A message of a branching session, as far as finding its thread needs. */
type Node = { id: number; parent: string | null; canonical: unknown };

/**
 * The messages of the one thread a training example follows. The build's read carries no meta, so
 * for branching sources (only) the session's messages are read once more to find their branches.
 */
export async function currentThread(
  store: Store,
  session: Session,
  messages: TrainingMessage[],
): Promise<TrainingMessage[]> {
  if (!branchingSources.has(session.source)) return messages;
  const nodes = new Map<string, Node>();
  for await (const m of store.messages(session.id))
    nodes.set(m.externalId, { id: m.id, parent: m.parentExternalId, canonical: m.meta.canonical });
  const onThread = threadIds(nodes, session.meta.currentNode);
  return messages.filter((m) => onThread.has(m.id));
}

/**
 * A message's `canonical` mark is written when it is first stored and never revised, so after a
 * later export in which the user moved to another branch both threads say `true`: the thread is
 * followed up from the session's current node, which every export updates. Without one (chat
 * logs, or a current node that is not a stored message), the marks decide.
 */
function threadIds(nodes: Map<string, Node>, currentNode: unknown): Set<number> {
  const leaf = typeof currentNode === 'string' ? nodes.get(currentNode) : undefined;
  if (leaf === undefined)
    return new Set([...nodes.values()].filter((n) => n.canonical !== false).map((n) => n.id));
  const thread = new Set<number>();
  for (let node: Node | undefined = leaf; node !== undefined && !thread.has(node.id);) {
    thread.add(node.id);
    node = node.parent === null ? undefined : nodes.get(node.parent);
  }
  return thread;
}
