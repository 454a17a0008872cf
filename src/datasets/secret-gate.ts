import { piiRules } from '../enrich/pii-rules.ts';
import { secretRules } from '../enrich/secret-rules.ts';
import { TextRedactor, type RedactionCounts } from '../enrich/text-redactor.ts';
import type { ChatMessage } from './example.ts';

export type GateOutcome = { messages: ChatMessage[]; findings: RedactionCounts };

/**
 * The secret gate: the redaction rules of src/enrich (the ones ingest applies before the first
 * write, in their current version) run again over everything an example says, so a secret that
 * slipped past ingest (an older rule set, redaction off) is masked or the example dropped, and
 * no file is written while a rule still finds one.
 */
export class SecretGate {
  private readonly redactor: TextRedactor;

  constructor(options: { pii: boolean }) {
    this.redactor = new TextRedactor(options.pii ? [...secretRules, ...piiRules] : secretRules);
  }

  /** The example with what the rules find replaced by `[REDACTED:<kind>]`, and the findings by kind. */
  mask(messages: readonly ChatMessage[]): GateOutcome {
    const findings: RedactionCounts = {};
    const strings: string[] = [];
    for (const m of messages) collectStrings(m, strings);
    const rules = this.redactor.rulesFor(strings.join('\n'));
    if (rules.length === 0) return { messages: [...messages], findings };
    const redact = (text: string) => this.redactor.redact(text, findings, rules);
    const masked = messages.map((m) => rewriteStrings(m, redact) as ChatMessage);
    return { messages: masked, findings };
  }

  /** One text with what the rules find masked, the findings added to `into`. */
  maskText(text: string, into: RedactionCounts): string {
    return this.redactor.redact(text, into);
  }

  /** Findings in every string of a JSON value (a line as written), by kind; empty when clean. */
  find(value: unknown): RedactionCounts {
    const strings: string[] = [];
    collectStrings(value, strings);
    const findings: RedactionCounts = {};
    const rules = this.redactor.rulesFor(strings.join('\n'));
    if (rules.length === 0) return findings;
    for (const s of strings) this.redactor.redact(s, findings, rules);
    return findings;
  }
}

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out);
  else if (typeof value === 'object' && value !== null)
    for (const v of Object.values(value)) collectStrings(v, out);
}

function rewriteStrings(value: unknown, rewrite: (text: string) => string): unknown {
  if (typeof value === 'string') return rewrite(value);
  if (Array.isArray(value)) return value.map((v) => rewriteStrings(v, rewrite));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteStrings(v, rewrite)]));
  return value;
}

export function findingsText(findings: RedactionCounts): string {
  return Object.entries(findings)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, n]) => `${kind} ×${n}`)
    .join(', ');
}
