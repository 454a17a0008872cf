/** Disjoint sets over 0…n−1, growing as items are added; `find` halves paths as it walks. */
export class UnionFind {
  private parent = new Int32Array(1024);
  private size = 0;

  add(): number {
    if (this.size === this.parent.length) {
      const grown = new Int32Array(this.parent.length * 2);
      grown.set(this.parent);
      this.parent = grown;
    }
    this.parent[this.size] = this.size;
    return this.size++;
  }

  get count(): number {
    return this.size;
  }

  find(item: number): number {
    let x = item;
    while (this.parent[x] !== x) {
      const grand = this.parent[this.parent[x]!]!;
      this.parent[x] = grand;
      x = grand;
    }
    return x;
  }

  /** Joins the two sets; the smaller root becomes the root, so roots do not depend on call order. */
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    if (ra < rb) this.parent[rb] = ra;
    else this.parent[ra] = rb;
  }
}
