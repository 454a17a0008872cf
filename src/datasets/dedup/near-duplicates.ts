import { signatureSize, similarity } from './minhash.ts';
import { UnionFind } from './union-find.ts';

/** Comparisons per LSH bucket at most: a bucket of thousands (boilerplate) must not cost n². */
const bucketCap = 16;

/**
 * Bands × rows of the LSH index for a threshold: candidates are likely from about (1/b)^(1/r),
 * which should sit below the threshold the candidates are then checked against.
 */
function banding(threshold: number): { bands: number; rows: number } {
  if (threshold >= 0.76) return { bands: 16, rows: 8 }; // ≈ 0.71
  if (threshold >= 0.5) return { bands: 32, rows: 4 }; // ≈ 0.42
  return { bands: 64, rows: 2 }; // ≈ 0.13
}

/**
 * Near-duplicate clusters, found as items arrive: each signature is looked up in the LSH bands,
 * candidates are checked with the estimated Jaccard similarity, and matches joined (union-find).
 * Memory: one 512-byte signature per item and band keys; nothing else of an item is kept.
 */
export class NearDuplicateIndex {
  private readonly threshold: number;
  private readonly bands: number;
  private readonly rows: number;
  private readonly buckets: Map<number, number[]>[];
  private signatures = new Uint32Array(signatureSize * 1024);
  readonly clusters = new UnionFind();
  /** Per item, the similarity of its closest near-duplicate (0: none), for reports. */
  readonly closest: number[] = [];

  constructor(threshold: number) {
    this.threshold = threshold;
    ({ bands: this.bands, rows: this.rows } = banding(threshold));
    this.buckets = Array.from({ length: this.bands }, () => new Map<number, number[]>());
  }

  /**
   * Adds an item (null: nothing to compare, a cluster of its own); returns its index and the
   * earlier item most like it among those found (match −1 when none reaches the threshold).
   */
  add(signature: Uint32Array | null): { index: number; match: number; similarity: number } {
    const index = this.clusters.add();
    this.closest.push(0);
    const found = { index, match: -1, similarity: 0 };
    if (signature === null) return found;
    this.store(index, signature);
    for (let band = 0; band < this.bands; band++) {
      const key = this.bandKey(signature, band);
      const bucket = this.buckets[band]!.get(key);
      if (bucket === undefined) {
        this.buckets[band]!.set(key, [index]);
        continue;
      }
      for (const other of bucket) {
        const s = this.compare(index, other);
        if (s > found.similarity) Object.assign(found, { match: other, similarity: s });
      }
      if (bucket.length < bucketCap) bucket.push(index);
    }
    return found;
  }

  /** The similarity of a new near-duplicate pair (joined), or 0. */
  private compare(a: number, b: number): number {
    if (this.clusters.find(a) === this.clusters.find(b)) return 0;
    const s = similarity(this.signatures, a * signatureSize, this.signatures, b * signatureSize);
    if (s < this.threshold) return 0;
    this.clusters.union(a, b);
    this.closest[a] = Math.max(this.closest[a]!, s);
    this.closest[b] = Math.max(this.closest[b]!, s);
    return s;
  }

  private store(index: number, signature: Uint32Array): void {
    if ((index + 1) * signatureSize > this.signatures.length) {
      const grown = new Uint32Array(this.signatures.length * 2);
      grown.set(this.signatures);
      this.signatures = grown;
    }
    this.signatures.set(signature, index * signatureSize);
  }

  private bandKey(signature: Uint32Array, band: number): number {
    let h = 0x811c9dc5;
    for (let r = band * this.rows; r < (band + 1) * this.rows; r++)
      h = Math.imul(h ^ signature[r]!, 0x01000193);
    return h >>> 0;
  }
}
