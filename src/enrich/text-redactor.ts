import { LiteralScanner, type ScannedLiteral } from './literal-scanner.ts';
import type { RedactionRule, Trigger } from './redaction-rule.ts';

/** How many findings of each kind were replaced. */
export type RedactionCounts = Record<string, number>;

type Finding = { start: number; end: number; kind: string; rule: number };

/** Shorter strings cannot hold anything a rule finds (the shortest is an IPv4 address). */
const minLength = 7;

export function placeholder(kind: string): string {
  return `[REDACTED:${kind}]`;
}

/**
 * Replaces what the rules find in a string with typed placeholders. Strings are scanned as
 * decoded text (the callers decode JSON first), with the rules that found something in the
 * record (see `rulesFor`); of overlapping findings the one that starts first is kept.
 */
export class TextRedactor {
  private readonly rules: readonly RedactionRule[];
  private readonly triggers: TriggerSet;
  /** Per rule marked `startsAtTrigger`, its pattern anchored (`y`) to try one place at a time. */
  private readonly anchored: (RegExp | null)[];

  constructor(rules: readonly RedactionRule[]) {
    this.rules = rules;
    this.triggers = new TriggerSet(rules);
    this.anchored = rules.map((r) =>
      r.startsAtTrigger === true ? new RegExp(r.pattern.source, `${r.pattern.flags}y`) : null,
    );
  }

  /**
   * The rules that find something in `context` (all the text of a record, its strings joined by
   * new lines): only these need to run over the record's strings one by one. Triggers cost one
   * pass over the context; most records keep no rule and are not walked.
   */
  rulesFor(context: string): readonly RedactionRule[] {
    const { fired, starts } = this.triggers.fired(context);
    return this.rules.filter((rule, i) => {
      if (fired[i] !== 1) return false;
      const anchored = this.anchored[i]!;
      return anchored === null ? findsAny(rule, context) : findsAnyAt(rule, anchored, context, starts[i]!);
    });
  }

  /** `text` itself (the same string) when nothing was found; counts are added to `counts`. */
  redact(text: string, counts: RedactionCounts, rules: readonly RedactionRule[] = this.rules): string {
    if (text.length < minLength || rules.length === 0) return text;
    const findings = find(text, rules);
    if (findings.length === 0) return text;
    // Earliest first; on the same start, the earlier rule (secrets come before PII), then the longer.
    findings.sort((a, b) => a.start - b.start || a.rule - b.rule || b.end - a.end);
    let out = '';
    let at = 0;
    for (const f of findings) {
      if (f.start < at) continue;
      out += text.slice(at, f.start) + placeholder(f.kind);
      at = f.end;
      counts[f.kind] = (counts[f.kind] ?? 0) + 1;
    }
    return out + text.slice(at);
  }
}

/** The triggers of a rule list, tested together: literals in one scan, expressions one by one. */
class TriggerSet {
  private readonly triggers: readonly Trigger[];
  private readonly scanner: LiteralScanner;
  /** Per trigger, the indexes of its literals in the scanner. */
  private readonly literalsOf: number[][];
  private readonly literalCount: number;
  /** Per trigger, whether where its literals occur is wanted (its rule `startsAtTrigger`). */
  private readonly wantsStarts: boolean[];

  constructor(rules: readonly RedactionRule[]) {
    this.triggers = rules.map((r) => r.trigger);
    this.wantsStarts = rules.map((r) => r.startsAtTrigger === true);
    const literals: ScannedLiteral[] = [];
    this.literalsOf = rules.map(({ trigger: t, startsAtTrigger }) => {
      const own = 'anyOf' in t ? t.anyOf : 'anyOfLower' in t ? t.anyOfLower : [];
      const starts = startsAtTrigger === true;
      return own.map((text) => literals.push({ text, caseSensitive: 'anyOf' in t, starts }) - 1);
    });
    this.literalCount = literals.length;
    this.scanner = new LiteralScanner(literals);
  }

  /**
   * `fired`: 1 at index i when trigger i fires on the text. `starts`: for a trigger that wants
   * them, where each of its literals begins in the text.
   */
  fired(text: string): { fired: Uint8Array; starts: (number[][] | null)[] } {
    const found = new Uint8Array(this.literalCount);
    const literalStarts: number[][] = [];
    for (let i = 0; i < this.triggers.length; i++)
      if (this.wantsStarts[i]) for (const k of this.literalsOf[i]!) literalStarts[k] = [];
    this.scanner.scan(text, found, literalStarts);
    const fired = new Uint8Array(this.triggers.length);
    const starts: (number[][] | null)[] = [];
    const tested = new Map<RegExp, boolean>();
    for (let i = 0; i < this.triggers.length; i++) {
      const t = this.triggers[i]!;
      starts.push(null);
      if ('test' in t) {
        let hit = tested.get(t.test);
        if (hit === undefined) tested.set(t.test, (hit = t.test.test(text)));
        fired[i] = hit ? 1 : 0;
      } else if ('always' in t) fired[i] = 1;
      else {
        const own = this.literalsOf[i]!;
        for (const k of own) if (found[k] === 1) fired[i] = 1;
        if (fired[i] === 1 && this.wantsStarts[i]) starts[i] = own.map((k) => literalStarts[k]!);
      }
    }
    return { fired, starts };
  }
}

/** Whether the rule finds (and accepts) anything; a rejected match does not hide a later one. */
function findsAny(rule: RedactionRule, text: string): boolean {
  const pattern = rule.pattern;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const span = secretSpan(m);
    if (m[0].length > 0 && (!rule.accept || rule.accept(text.slice(span[0], span[1]), m))) return true;
    pattern.lastIndex = m.index + 1;
  }
  return false;
}

/**
 * `findsAny` for a rule whose matches all begin where one of its trigger's literals does
 * (`starts`, per literal): the same matches, each tried where it can begin instead of searched
 * for. `findsAny` tries every place a match begins and asks whether any is accepted, so the
 * order they are tried in does not matter.
 */
function findsAnyAt(
  rule: RedactionRule,
  anchored: RegExp,
  text: string,
  starts: readonly (readonly number[])[],
): boolean {
  for (const literalStarts of starts) {
    for (const at of literalStarts) {
      anchored.lastIndex = at;
      const m = anchored.exec(text);
      if (m === null || m[0].length === 0) continue;
      const span = secretSpan(m);
      if (!rule.accept || rule.accept(text.slice(span[0], span[1]), m)) return true;
    }
  }
  return false;
}

function find(text: string, rules: readonly RedactionRule[]): Finding[] {
  const findings: Finding[] = [];
  rules.forEach((rule, index) => {
    const pattern = rule.pattern;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      if (m[0].length === 0) {
        pattern.lastIndex++;
        continue;
      }
      const span = secretSpan(m);
      if (rule.accept && !rule.accept(text.slice(span[0], span[1]), m)) continue;
      findings.push({ start: span[0], end: span[1], kind: rule.kind, rule: index });
    }
  });
  return findings;
}

/** The span to replace: the named group `s` (or `b`) when it took part in the match, else the whole match. */
function secretSpan(m: RegExpExecArray): [number, number] {
  const groups = m.indices?.groups;
  return groups?.s ?? groups?.b ?? [m.index, m.index + m[0].length];
}
