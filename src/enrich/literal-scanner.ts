/**
 * Finds which of many literals occur in a text in one pass (an Aho-Corasick automaton over
 * ASCII, compiled to a full transition table). Searching each literal with `includes` costs one
 * pass per literal; rule triggers have dozens. Matching ignores ASCII case; a literal marked
 * case-sensitive is checked against the text where it matched.
 */
export class LiteralScanner {
  /**
   * The transition per state and ASCII code, upper case folded to lower already; a state where
   * some literal ends is stored as its complement (negative), so the hot loop tests one number
   * for both, not the letter case and a table of final states besides (~40 % faster).
   */
  private readonly next: Int32Array;
  /** Per state: indexes of the literals that end there (including via failure links). */
  private readonly outputs: number[][];
  private readonly literals: readonly ScannedLiteral[];

  constructor(literals: readonly ScannedLiteral[]) {
    this.literals = literals;
    const goto: Map<number, number>[] = [new Map()];
    const outputs: number[][] = [[]];
    literals.forEach((literal, index) => {
      let state = 0;
      for (const ch of literal.text.toLowerCase()) {
        const code = ch.charCodeAt(0);
        if (code >= 128) throw new Error(`trigger literals are ASCII: ${literal.text}`);
        let to = goto[state]!.get(code);
        if (to === undefined) {
          to = goto.length;
          goto.push(new Map());
          outputs.push([]);
          goto[state]!.set(code, to);
        }
        state = to;
      }
      outputs[state]!.push(index);
    });
    // Breadth-first: each state's failure link is known before its children need it.
    const next = new Int32Array(goto.length * 128);
    const fail = new Int32Array(goto.length);
    const queue: number[] = [];
    for (let c = 0; c < 128; c++) {
      const to = goto[0]!.get(c) ?? 0;
      next[c] = to;
      if (to !== 0) queue.push(to);
    }
    while (queue.length > 0) {
      const state = queue.shift()!;
      outputs[state]!.push(...outputs[fail[state]!]!);
      for (let c = 0; c < 128; c++) {
        const to = goto[state]!.get(c);
        if (to === undefined) {
          next[state * 128 + c] = next[fail[state]! * 128 + c]!;
          continue;
        }
        fail[to] = next[fail[state]! * 128 + c]!;
        next[state * 128 + c] = to;
        queue.push(to);
      }
    }
    // State 0 ends no literal, so no complement is 0 or -1 ambiguous with it.
    const folded = new Int32Array(next.length);
    for (let state = 0; state < goto.length; state++) {
      for (let c = 0; c < 128; c++) {
        const to = next[state * 128 + (c >= 65 && c <= 90 ? c | 32 : c)]!;
        folded[state * 128 + c] = outputs[to]!.length > 0 ? ~to : to;
      }
    }
    this.next = folded;
    this.outputs = outputs;
  }

  /**
   * Marks `found[i]` for every literal i that occurs in `text`; for a literal marked `starts`,
   * also adds where each occurrence begins to `starts[i]`, in ascending order.
   */
  scan(text: string, found: Uint8Array, starts: number[][]): void {
    const next = this.next;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 128) {
        state = 0;
        continue;
      }
      state = next[(state << 7) | code]!;
      if (state < 0) {
        state = ~state;
        this.report(text, i, state, found, starts);
      }
    }
  }

  private report(text: string, end: number, state: number, found: Uint8Array, starts: number[][]): void {
    for (const index of this.outputs[state]!) {
      const literal = this.literals[index]!;
      const start = end - literal.text.length + 1;
      if (literal.caseSensitive && !text.startsWith(literal.text, start)) continue;
      found[index] = 1;
      if (literal.starts === true) starts[index]!.push(start);
    }
  }
}

/** `starts`: where the literal occurs is wanted, not only whether it does. */
export type ScannedLiteral = { text: string; caseSensitive: boolean; starts?: boolean };
