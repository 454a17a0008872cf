import { isObj, type Obj } from '../shared/fields.ts';

/** A node of the mapping in reading order, with the nearest ancestor that holds a message. */
export type PlacedNode = { id: string; messageParent: string | null };

export type ConversationTree = { nodes: PlacedNode[]; canonical: Set<string> };

/**
 * Lays out a conversation's `mapping` tree. The canonical thread is the path from `current_node`
 * up to the root (what the user last saw); sibling subtrees are edits and regenerations. Nodes
 * come depth first with the canonical child before its siblings, so the canonical thread reads
 * first and each other branch follows its branch point. No node is dropped, not even one whose
 * parent is missing or that sits in a cycle.
 */
export function layOutTree(mapping: Obj, currentNode: string | undefined): ConversationTree {
  const parentOf = (id: string): string | null => {
    const node = mapping[id];
    const parent = isObj(node) ? node.parent : undefined;
    return typeof parent === 'string' && parent !== id && Object.hasOwn(mapping, parent) ? parent : null;
  };
  const hasMessage = (id: string): boolean => isObj(mapping[id]) && isObj((mapping[id] as Obj).message);

  const children = new Map<string, string[]>();
  const roots: string[] = [];
  for (const id of Object.keys(mapping)) {
    const parent = parentOf(id);
    if (parent === null) roots.push(id);
    else if (children.has(parent)) children.get(parent)!.push(id);
    else children.set(parent, [id]);
  }
  const canonical = canonicalPath(currentNode, mapping, parentOf, roots, children);

  const nodes: PlacedNode[] = [];
  const placed = new Set<string>();
  const stack: PlacedNode[] = roots.toReversed().map((id) => ({ id, messageParent: null }));
  while (stack.length > 0) {
    const { id, messageParent } = stack.pop()!;
    if (placed.has(id)) continue;
    placed.add(id);
    nodes.push({ id, messageParent });
    const below = hasMessage(id) ? id : messageParent;
    const kids = children.get(id) ?? [];
    const first = kids.filter((k) => canonical.has(k));
    const rest = kids.filter((k) => !canonical.has(k));
    for (const kid of [...first, ...rest].reverse()) stack.push({ id: kid, messageParent: below });
  }
  // Only nodes in a parent cycle are left: keep them, each under its nearest message ancestor.
  for (const id of Object.keys(mapping)) {
    if (placed.has(id)) continue;
    nodes.push({ id, messageParent: nearestMessage(parentOf(id), parentOf, hasMessage) });
  }
  return { nodes, canonical };
}

function canonicalPath(
  currentNode: string | undefined,
  mapping: Obj,
  parentOf: (id: string) => string | null,
  roots: string[],
  children: Map<string, string[]>,
): Set<string> {
  const path = new Set<string>();
  if (currentNode !== undefined && Object.hasOwn(mapping, currentNode)) {
    for (let id: string | null = currentNode; id !== null && !path.has(id); id = parentOf(id)) path.add(id);
    return path;
  }
  // No current node: ChatGPT appends a regeneration after its siblings, so follow the last child.
  for (let id = roots[0]; id !== undefined && !path.has(id); id = children.get(id)?.at(-1)) path.add(id);
  return path;
}

function nearestMessage(
  start: string | null,
  parentOf: (id: string) => string | null,
  hasMessage: (id: string) => boolean,
): string | null {
  const seen = new Set<string>();
  for (let id = start; id !== null && !seen.has(id); id = parentOf(id)) {
    if (hasMessage(id)) return id;
    seen.add(id);
  }
  return null;
}
