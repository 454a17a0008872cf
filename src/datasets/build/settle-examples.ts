import type { BuildOptions } from '../../config/datasets-config.ts';
import { UnionFind } from '../dedup/union-find.ts';
import { splitOf, type Split } from '../split.ts';
import type { SessionJudge } from './judge-sessions.ts';

/** What becomes of each kept candidate once all are in: dropped as a near-duplicate, or written to a split. */
export type Settlement = {
  dropped: Uint8Array;
  split: Split[];
  /** The id of each candidate's near-duplicate cluster when it has company, else null. */
  cluster: (string | null)[];
  /** Near-duplicate clusters of two or more examples. */
  clusters: number;
  /** Split groups of written examples. */
  groups: number;
};

/**
 * Settles near-duplicates and the split. With `nearDuplicates: drop`, each cluster keeps its best
 * scored example (the earliest on a tie) and the others are dropped. Then examples are grouped
 * by session and by cluster (union-find), and each group goes whole to one side, chosen by the
 * hash of its first session's id, so nothing of one conversation or cluster leaks across.
 */
export async function settleExamples(judge: SessionJudge, options: BuildOptions): Promise<Settlement> {
  const n = judge.ids.length;
  const clusters = judge.near.clusters;
  const root = new Int32Array(n);
  const size = new Map<number, number>();
  for (let k = 0; k < n; k++) {
    root[k] = clusters.find(k);
    size.set(root[k]!, (size.get(root[k]!) ?? 0) + 1);
  }
  const dropped = new Uint8Array(n);
  if (options.nearDuplicates === 'drop') await dropNearDuplicates(judge, root, size, dropped);
  const groups = new UnionFind();
  for (let k = 0; k < n; k++) {
    groups.add();
    if (k > 0 && judge.sessionOf[k] === judge.sessionOf[k - 1]) groups.union(k, k - 1);
    groups.union(k, root[k]!);
  }
  const split: Split[] = [];
  const sides = new Map<number, Split>();
  for (let k = 0; k < n; k++) {
    const group = groups.find(k);
    let side = sides.get(group);
    if (side === undefined) {
      // The group's root is its smallest index, so its session is the group's first by id.
      side = splitOf(
        judge.sessions[judge.sessionOf[group]!]!.session,
        options.seed,
        options.validationFraction,
      );
      sides.set(group, side);
    }
    split.push(side);
  }
  const written = new Set<number>();
  for (let k = 0; k < n; k++) if (dropped[k] === 0) written.add(groups.find(k));
  const cluster = Array.from(root, (r) => ((size.get(r) ?? 1) > 1 ? judge.ids[r]! : null));
  const multi = [...size.values()].filter((s) => s > 1).length;
  return { dropped, split, cluster, clusters: multi, groups: written.size };
}

async function dropNearDuplicates(
  judge: SessionJudge,
  root: Int32Array,
  size: Map<number, number>,
  dropped: Uint8Array,
): Promise<void> {
  const best = new Map<number, number>();
  for (let k = 0; k < root.length; k++) {
    const r = root[k]!;
    if ((size.get(r) ?? 1) < 2) continue;
    const current = best.get(r);
    if (current === undefined || judge.scores[k]! > judge.scores[current]!) best.set(r, k);
  }
  for (let k = 0; k < root.length; k++) {
    const keep = best.get(root[k]!);
    if (keep === undefined || keep === k) continue;
    dropped[k] = 1;
    const session = judge.sessions[judge.sessionOf[k]!]!.session;
    const similarity = judge.near.closest[k] ?? 0;
    await judge.drop(
      { id: judge.ids[k]!, sessionId: session, index: judge.indexes[k]! },
      'near_duplicate',
      `A near-duplicate (similarity ${similarity.toFixed(2)}) of ${judge.ids[keep]!}, which scored ${judge.scores[keep]} and is kept.`,
    );
  }
}
