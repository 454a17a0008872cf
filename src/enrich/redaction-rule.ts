/**
 * One redaction rule: what it finds, the type written in its placeholder, and a cheap prefilter.
 * `pattern` must carry the `g` flag; with a named group `s` (and the `d` flag) only that group is
 * replaced, so `postgres://user:[REDACTED:…]@host` keeps what is not secret.
 */
export type RedactionRule = {
  /** Placeholder type: `[REDACTED:<kind>]`. */
  kind: string;
  /** `secret` rules run under every policy but off; `pii` rules only when PII redaction is on. */
  class: 'secret' | 'pii';
  /**
   * What must occur in a string for the pattern to run: most strings hold no secret, and a plain
   * substring search is far cheaper than the pattern. Rules may share one trigger object; it is
   * tested once per string.
   */
  trigger: Trigger;
  pattern: RegExp;
  /**
   * Every match begins where one of the trigger's literals does (the pattern opens with them, and
   * they match only ASCII case variants, as `i` without `u` does): choosing the rules for a record
   * then tries the pattern only at those places instead of along the whole text.
   */
  startsAtTrigger?: true;
  /** A last check on the value found (checksum, entropy, placeholder), false keeps it. */
  accept?: (value: string, match: RegExpExecArray) => boolean;
};

/**
 * `anyOf`: substrings searched as written; `anyOfLower`: lower-case substrings searched in the
 * lower-cased string; `test`: a cheap expression; `always`: no prefilter.
 */
export type Trigger =
  { anyOf: readonly string[] } | { anyOfLower: readonly string[] } | { test: RegExp } | { always: true };

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const placeholderValue =
  /^(?:\$\{[^}]*\}|\$[A-Z_][A-Z0-9_]*|\{\{[^}]*\}\}|<[^>]*>|%[A-Za-z_]+%?|\[REDACTED:[a-z0-9_]+\]|(.)\1+|x+|\*+|\.+)$/i;
const placeholderWords = new Set([
  'changeme',
  'password',
  'passwd',
  'secret',
  'example',
  'placeholder',
  'redacted',
  'your_password',
  'your-password',
  'yourpassword',
  'undefined',
  'null',
  'none',
  'true',
  'false',
  'string',
  'required',
  'optional',
]);

/** Values that only stand for a secret: `${TOKEN}`, `<your key>`, `xxxx`, `changeme`, … */
export function isPlaceholder(value: string): boolean {
  const bare = value.replace(/^['"`]|['"`]$/g, '');
  return placeholderValue.test(bare) || placeholderWords.has(bare.toLowerCase());
}

/** Luhn checksum over the digits of `value` (separators ignored). */
export function luhnValid(value: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = value.length - 1; i >= 0; i--) {
    const code = value.charCodeAt(i);
    if (code < 48 || code > 57) continue;
    let d = code - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}
