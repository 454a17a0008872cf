import { rewriteJsonStrings } from '../enrich/json-strings.ts';
import { secretRules } from '../enrich/secret-rules.ts';
import { TextRedactor, type RedactionCounts } from '../enrich/text-redactor.ts';

/**
 * What leaves agentlog passes the secret rules once more: messages were redacted before they were
 * first stored, but a store written with redaction off, or before a rule existed, may still hold
 * a secret. Text is masked as at ingest (`[REDACTED:<kind>]`); JSON values are scanned decoded.
 */
export class SecretGate {
  /** Secrets masked so far, by kind. */
  readonly masked: RedactionCounts = {};
  private readonly redactor = new TextRedactor(secretRules);

  /** The row with what the rules find masked in `text`, `blocks` and `meta` (the row itself when clean). */
  pass(row: Record<string, unknown>): Record<string, unknown> {
    const text = String(row.text ?? '');
    const blocks = String(row.blocks ?? '');
    const meta = String(row.meta ?? '');
    const rules = this.redactor.rulesFor(`${text}\n${blocks}\n${meta}`);
    if (rules.length === 0) return row;
    const redact = (value: string) => this.redactor.redact(value, this.masked, rules);
    const json = (value: string) => rewriteJsonStrings(value, redact, (gap) => gap) ?? redact(value);
    return { ...row, text: redact(text), blocks: json(blocks), meta: json(meta) };
  }

  /**
   * Any value of a query's answer, masked: strings (a JSON text's string values decoded, and what
   * lies between them), and the strings inside lists and structs. Other values are returned as is.
   */
  value(value: unknown): unknown {
    if (typeof value === 'string') return this.string(value);
    if (Array.isArray(value)) return value.map((v) => this.value(v));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.value(v)]));
    }
    return value;
  }

  /** Plain text with what the rules find masked (the same string when clean). */
  text(value: string): string {
    return this.plain(value);
  }

  private string(value: string): string {
    // Columns such as blocks and meta hold JSON text: its string values are scanned decoded, so
    // escapes hide nothing; what lies between them is scanned as it is.
    if (/^\s*[[{]/.test(value)) {
      const json = rewriteJsonStrings(value, this.plain, this.plain);
      if (json !== null) return json;
    }
    return this.plain(value);
  }

  private readonly plain = (value: string): string => {
    const rules = this.redactor.rulesFor(value);
    return rules.length === 0 ? value : this.redactor.redact(value, this.masked, rules);
  };
}
