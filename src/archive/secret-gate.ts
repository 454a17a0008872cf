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
}
