/**
 * Finds which of many literals occur in a text in one pass (an Aho-Corasick automaton over
 * ASCII, compiled to a full transition table). Searching each literal with `includes` costs one
 * pass per literal; rule triggers have dozens. Matching ignores ASCII case; a literal marked
 * case-sensitive is checked against the text where it matched.
 */
export class LiteralScanner {
  private readonly next: Int32Array;
  /** Per state: indexes of the literals that end there (including via failure links). */
  private readonly outputs: number[][];
  /** 1 for states where some literal ends: the hot loop looks at outputs only there. */
  private readonly final: Uint8Array;
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
    this.next = next;
    this.outputs = outputs;
    this.final = Uint8Array.from(outputs, (o) => (o.length > 0 ? 1 : 0));
  }

  /**
   * Marks `found[i]` for every literal i that occurs in `text`; for a literal marked `starts`,
   * also adds where each occurrence begins to `starts[i]`, in ascending order.
   */
  scan(text: string, found: Uint8Array, starts: number[][]): void {
    const next = this.next;
    const final = this.final;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (code >= 128) {
        state = 0;
        continue;
      }
      if (code >= 65 && code <= 90) code |= 32;
      state = next[(state << 7) | code]!;
      if (final[state] === 1) this.report(text, i, state, found, starts);
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
