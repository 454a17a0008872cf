export type Distribution = {
  min: number;
  max: number;
  mean: number;
  median: number;
  p5: number;
  p95: number;
};

/** Numbers kept in a growing typed array (8 bytes each), summarised with true percentiles. */
export class Samples {
  private values = new Float64Array(1024);
  private size = 0;

  add(value: number): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = value;
  }

  get count(): number {
    return this.size;
  }

  sum(): number {
    let total = 0;
    for (let i = 0; i < this.size; i++) total += this.values[i]!;
    return total;
  }

  /** min, max, mean, median and the 5th and 95th percentiles (linear between ranks); zeros when empty. */
  summary(): Distribution {
    if (this.size === 0) return { min: 0, max: 0, mean: 0, median: 0, p5: 0, p95: 0 };
    const sorted = this.values.slice(0, this.size).sort();
    const at = (q: number) => {
      const rank = q * (sorted.length - 1);
      const low = Math.floor(rank);
      const high = Math.min(sorted.length - 1, low + 1);
      return round(sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low));
    };
    return {
      min: sorted[0]!,
      max: sorted[sorted.length - 1]!,
      mean: round(this.sum() / this.size),
      median: at(0.5),
      p5: at(0.05),
      p95: at(0.95),
    };
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

/** The cookbook's billing estimate: 3 epochs, clamped so examples × epochs stays in 100–25,000. */
export function billingEstimate(examples: number, tokensCapped: number): { epochs: number; tokens: number } {
  if (examples === 0) return { epochs: 0, tokens: 0 };
  let epochs = 3;
  if (examples * epochs < 100) epochs = Math.min(25, Math.ceil(100 / examples));
  else if (examples * epochs > 25_000) epochs = Math.max(1, Math.floor(25_000 / examples));
  return { epochs, tokens: tokensCapped * epochs };
}
