import { isPlaceholder, shannonEntropy, type RedactionRule, type Trigger } from './redaction-rule.ts';

const passwordWords: Trigger = { anyOfLower: ['pass', 'pwd'] };
const secretWords: Trigger = { anyOfLower: ['secret', 'token', 'key', 'cred'] };

/**
 * Secret rules. The token shapes are public facts (documented prefixes and lengths) gathered from
 * providers' docs and the secretlint and gitleaks rule sets; the expressions are our own, written
 * for JavaScript regexes and linear-time matching (bounded repeats, no nested quantifiers).
 * secretlint's own rules run over the test fixtures as a cross-check (test/enrich/).
 */
export const secretRules: readonly RedactionRule[] = [
  {
    kind: 'private_key',
    class: 'secret',
    trigger: { anyOf: ['PRIVATE KEY'] },
    // A truncated key (no END line) is redacted up to the end of its base64 body.
    pattern:
      /-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,20000}?-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\s:,-]{0,20000})/g,
  },
  {
    kind: 'aws_access_key',
    class: 'secret',
    trigger: { anyOf: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'] },
    pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}\b/g,
  },
  {
    kind: 'aws_secret_key',
    class: 'secret',
    trigger: { anyOfLower: ['aws'] },
    pattern:
      /aws.{0,20}?(?:secret|private)?.{0,10}?(?:key|access).{0,20}?['"\s:=>]{1,5}(?<s>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/dgi,
    accept: (value) => shannonEntropy(value) >= 3.5,
  },
  {
    kind: 'gcp_api_key',
    class: 'secret',
    trigger: { anyOf: ['AIza'] },
    pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
  },
  {
    kind: 'gcp_oauth_token',
    class: 'secret',
    trigger: { anyOf: ['ya29.'] },
    pattern: /\bya29\.[0-9A-Za-z_-]{20,}/g,
  },
  {
    kind: 'azure_storage_key',
    class: 'secret',
    trigger: { anyOfLower: ['accountkey='] },
    pattern: /AccountKey=(?<s>[A-Za-z0-9+/]{86}==)/dgi,
  },
  {
    kind: 'azure_client_secret',
    class: 'secret',
    trigger: { anyOf: ['Q~'] },
    pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g,
  },
  {
    kind: 'azure_sas_token',
    class: 'secret',
    trigger: { anyOf: ['sig='] },
    pattern: /[?&]sig=(?<s>[A-Za-z0-9%+/]{40,}={0,2}(?:%3D){0,2})/dgi,
  },
  {
    kind: 'github_token',
    class: 'secret',
    trigger: { anyOf: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'] },
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{82,})\b/g,
  },
  {
    kind: 'gitlab_token',
    class: 'secret',
    trigger: { anyOf: ['glpat-', 'gldt-', 'glptt-', 'glrt-', 'gloas-', 'glsoat-', 'glffct-', 'glcbt-'] },
    pattern: /\b(?:glpat|gldt|glptt|glrt|gloas|glsoat|glffct|glcbt)-[A-Za-z0-9_.-]{20,}/g,
  },
  {
    kind: 'slack_token',
    class: 'secret',
    trigger: { anyOf: ['xox'] },
    pattern: /\bxox[abeoprs]-(?:\d+-)?[A-Za-z0-9-]{10,}/g,
  },
  {
    kind: 'slack_webhook',
    class: 'secret',
    trigger: { anyOf: ['hooks.slack.com'] },
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/_-]{20,}/g,
  },
  {
    kind: 'stripe_key',
    class: 'secret',
    trigger: { anyOf: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_', 'whsec_'] },
    pattern: /\b(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,247}|whsec_[A-Za-z0-9]{24,})\b/g,
  },
  {
    kind: 'anthropic_key',
    class: 'secret',
    trigger: { anyOf: ['sk-ant-'] },
    pattern: /\bsk-ant-[a-z]{2,10}\d{0,3}-[A-Za-z0-9_-]{20,}/g,
  },
  {
    kind: 'openai_key',
    class: 'secret',
    trigger: { anyOf: ['sk-'] },
    pattern:
      /\bsk-(?:(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{48})(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'huggingface_token',
    class: 'secret',
    trigger: { anyOf: ['hf_'] },
    pattern: /\bhf_[A-Za-z]{34}\b/g,
  },
  {
    kind: 'npm_token',
    class: 'secret',
    trigger: { anyOf: ['npm_', '_authToken'] },
    pattern: /\bnpm_[A-Za-z0-9]{36}\b|_authToken=(?<s>[A-Za-z0-9_+/=-]{16,})/dg,
  },
  {
    kind: 'sendgrid_key',
    class: 'secret',
    trigger: { anyOf: ['SG.'] },
    pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g,
  },
  {
    kind: 'groq_key',
    class: 'secret',
    trigger: { anyOf: ['gsk_'] },
    pattern: /\bgsk_[A-Za-z0-9]{52}\b/g,
  },
  {
    kind: 'shopify_token',
    class: 'secret',
    trigger: { anyOf: ['shpat_', 'shpca_', 'shppa_', 'shpss_'] },
    pattern: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/g,
  },
  {
    kind: 'databricks_token',
    class: 'secret',
    trigger: { anyOf: ['dapi'] },
    pattern: /\bdapi[a-f0-9]{32}(?:-\d)?\b/g,
  },
  {
    kind: 'jwt',
    class: 'secret',
    trigger: { anyOf: ['eyJ'] },
    pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g,
  },
  {
    kind: 'connection_string_password',
    class: 'secret',
    trigger: { anyOf: ['://'] },
    pattern: /\b[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/[^\s:/?#@'"`]{1,128}:(?<s>[^\s@/'"`]{1,256})@[^\s@'"`]/dg,
    accept: (value) => !isPlaceholder(value),
  },
  {
    kind: 'authorization_header',
    class: 'secret',
    trigger: { anyOfLower: ['bearer', 'basic ', 'authorization', 'x-api-key'] },
    pattern:
      /\b(?:authorization|proxy-authorization|x-api-key)["']?\s*[:=]\s*["']?(?:bearer|basic|token)\s+(?<s>[A-Za-z0-9._~+/=-]{8,})|\bbearer\s+(?<b>[A-Za-z0-9._~+/-]{20,}=*)/dgi,
    accept: (value) => !isPlaceholder(value) && shannonEntropy(value) >= 3,
  },
  {
    kind: 'password_assignment',
    class: 'secret',
    trigger: passwordWords,
    startsAtTrigger: true,
    pattern:
      /(?:password|passwd|passphrase|pwd)[A-Za-z0-9_.-]{0,20}["']?\s{0,4}(?:=|:=|:|=>)\s{0,4}(?<q>["'`]?)(?<s>[^\s"'`,;)}{(]{6,200})\k<q>(?![^\s"'`,;)}{])/dgi,
    // Code that names a password is not one: `password = getPassword()`, `password: string`,
    // `pwd = process.env.PWD`, `password = newPassword` (an unquoted identifier).
    accept: (value, match) =>
      !isPlaceholder(value) &&
      !/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value) &&
      !(match.groups?.q === '' && /^[A-Za-z_$][A-Za-z_$]*$/.test(value)) &&
      (/[0-9]/.test(value) || /[^A-Za-z0-9]/.test(value) || shannonEntropy(value) >= 3),
  },
  {
    kind: 'high_entropy_secret',
    class: 'secret',
    trigger: secretWords,
    startsAtTrigger: true,
    // gitleaks' generic-api-key idea: a secret-sounding name (`api_key`, `client_secret`,
    // `AUTH_TOKEN`, `credentials`) assigned a long, random-looking value.
    pattern:
      /(?:secret|token|key|cred)[A-Za-z0-9_.-]{0,20}["']?\s{0,4}(?:=|:=|:|=>)\s{0,4}["'`]?(?<s>[A-Za-z0-9_+/=.~-]{16,256})/dgi,
    accept: (value) => !isPlaceholder(value) && shannonEntropy(value) >= 3.5 && /[0-9]/.test(value),
  },
];
