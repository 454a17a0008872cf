import type { Config } from '../config/config.ts';
import { piiRules } from '../enrich/pii-rules.ts';
import { secretRules } from '../enrich/secret-rules.ts';
import { TextRedactor } from '../enrich/text-redactor.ts';

/**
 * Masks secrets (and PII, when the project's redaction asks for it) in text that agentlog itself
 * gathers for a run, the config copy and the log tail, before it is stored, sent to a model or
 * e-mailed: the same rules and placeholders as the ingest pipeline. Policy `off` leaves text as is.
 */
export function createSecretMasker(
  config: Pick<Config, 'redaction'>,
  project: string,
): (text: string) => string {
  const own = config.redaction.projects[project];
  const policy = own?.policy ?? config.redaction.policy;
  if (policy === 'off') return (text) => text;
  const pii = own?.pii ?? config.redaction.pii;
  const redactor = new TextRedactor(pii ? [...secretRules, ...piiRules] : secretRules);
  return (text) => redactor.redact(text, {});
}
