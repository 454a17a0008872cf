import { createHash } from 'node:crypto';
import type { BuildOptions } from '../../config/datasets-config.ts';
import type { DatasetFormat } from '../../domain/training-file.ts';
import { piiRules } from '../../enrich/pii-rules.ts';
import { secretRules } from '../../enrich/secret-rules.ts';
import { canonicalJson } from '../canonical-json.ts';
import { qualityVersion } from '../quality/quality-score.ts';
import { tokenizerName } from '../token-meter.ts';

export const manifestSchema = 'agentlog.training-manifest/1';
/** The version of the aggregated JSON document's schema (docs/DATASETS.md). */
export const documentSchema = 'agentlog.training-file/1';

export type ManifestInput = { session: string; messages: number; sha256: string };
export type ManifestOutput = { name: string; role: string; records: number; bytes: number; sha256: string };

export type ManifestParts = {
  file: { id: string; name: string };
  format: DatasetFormat;
  options: BuildOptions;
  inputs: readonly ManifestInput[];
  outputs: readonly ManifestOutput[];
  counts: { examples: number; train: number; validation: number; dropped: Record<string, number> };
};

/** A fingerprint of the redaction rules the secret gate ran (their kinds and expressions). */
function rulesFingerprint(pii: boolean): string {
  const rules = pii ? [...secretRules, ...piiRules] : secretRules;
  const hash = createHash('sha256');
  for (const rule of rules)
    hash.update(`${rule.kind}\u0000${rule.pattern.source}\u0000${rule.pattern.flags}\n`);
  return hash.digest('hex');
}

/**
 * The manifest of a build: what went in (each session's message hash), how (the whole
 * configuration and the versions of the rules and tokenizer), and what came out (each file's
 * sha256). Nothing in it depends on when or where the build ran, so the same inputs and
 * configuration give the same bytes, and its sha256 is the build's digest.
 */
export function manifestText(parts: ManifestParts): { text: string; digest: string } {
  const inputs = createHash('sha256');
  for (const i of parts.inputs) inputs.update(`${i.session} ${i.messages} ${i.sha256}\n`);
  const manifest = {
    schema: manifestSchema,
    file: parts.file,
    format: parts.format,
    configuration: parts.options,
    configurationSha256: createHash('sha256').update(canonicalJson(parts.options)).digest('hex'),
    versions: {
      document: documentSchema,
      quality: qualityVersion,
      tokenizer: tokenizerName,
      redactionRules: rulesFingerprint(parts.options.pii),
    },
    inputs: { sessions: parts.inputs.length, sha256: inputs.digest('hex'), each: parts.inputs },
    outputs: parts.outputs,
    counts: parts.counts,
  };
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  return { text, digest: createHash('sha256').update(text).digest('hex') };
}
