import { z } from 'zod';
import { redactionPolicies } from '../domain/enrichment.ts';

const policySchema = z.enum(redactionPolicies);

/**
 * Redaction before the first durable write. `policy`: off (store as received), mask (secrets
 * and PII become `[REDACTED:<kind>]`, the default), drop-message (a message with any finding is
 * stored without its content). `projects` sets either per project name.
 */
export const redactionSchema = z
  .object({
    policy: policySchema.default('mask'),
    /** E-mail addresses, phone numbers, public IP addresses, card numbers (Luhn-checked). */
    pii: z.boolean().default(true),
    projects: z
      .record(
        z.string().min(1),
        z.object({ policy: policySchema.optional(), pii: z.boolean().optional() }).strict(),
      )
      .default({}),
  })
  .prefault({});

/** A domain rule of the enricher's rules file (src/enrich/domain-rules.ts): same shape. */
const domainRuleSchema = z
  .object({
    domain: z.string().regex(/^[a-z][a-z0-9_]*$/, 'a lower-case name with letters, digits and _'),
    weight: z.number().min(0.5).max(5).default(2),
    terms: z.array(z.string().min(1)).min(1),
  })
  .strict();

export const enrichmentSchema = z
  .object({
    /** Run the cheap enrichers at ingest (the others run in `agentlog enrich`). */
    atIngest: z.boolean().default(true),
    /** Added to the built-in domain rules; a new domain name adds a category. */
    domainRules: z.array(domainRuleSchema).default([]),
  })
  .prefault({});

export type RedactionConfig = z.infer<typeof redactionSchema>;
export type EnrichmentConfig = z.infer<typeof enrichmentSchema>;

/** AGENTLOG_REDACTION (off, mask, drop-message) sets the policy of every project for this run. */
export function redactionInputs(
  fromFile: Record<string, unknown> | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const policy = env.AGENTLOG_REDACTION;
  if (policy === undefined || policy === '') return { ...fromFile };
  return { ...fromFile, policy, projects: {} };
}
