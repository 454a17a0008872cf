import { isIPv4, isIPv6 } from 'node:net';
import { luhnValid, type RedactionRule, type Trigger } from './redaction-rule.ts';

/** Ten or more digits with separators between: what a card or phone number needs at least. */
const numberRun: Trigger = { test: /\d[\d ().+-]{8,}\d/ };

/** Addresses that identify no one: documentation examples, and reserved or test domains. */
const exampleDomain = /@(?:[a-z0-9-]+\.)*(?:example\.(?:com|org|net)|example|test|invalid|localhost)$/i;

/** Loopback, unspecified, private, link-local, documentation and broadcast IPv4 ranges. */
function publicIPv4(ip: string): boolean {
  const [a = 0, b = 0, c = 0] = ip.split('.').map(Number);
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 100 && b >= 64 && b <= 127) return false;
  if ((a === 192 && b === 0 && c === 2) || (a === 198 && b === 51 && c === 100)) return false;
  if (a === 203 && b === 0 && c === 113) return false;
  return true;
}

function publicIPv6(ip: string): boolean {
  if (!isIPv6(ip)) return false;
  const lower = ip.toLowerCase();
  // Loopback, unspecified, link-local, unique-local and documentation (2001:db8::/32).
  if (lower === '::1' || lower === '::' || /^f[cde]/.test(lower) || lower.startsWith('2001:db8'))
    return false;
  // Plenty of hex:hex text is not an address; a real one has at least four groups or `::`.
  return lower.includes('::') || lower.split(':').length >= 8;
}

/** Issuer prefixes and lengths of the card networks; with the Luhn check, numbers that could be cards. */
function cardNumber(value: string): boolean {
  const digits = value.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19 || !luhnValid(digits)) return false;
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if (digits[0] === '4') return digits.length === 13 || digits.length === 16 || digits.length === 19;
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return digits.length === 16;
  if (two === 34 || two === 37) return digits.length === 15;
  if (four === 6011 || two === 65 || (four >= 6440 && four <= 6499)) return digits.length >= 16;
  if (two === 36 || two === 38 || (four >= 3000 && four <= 3059)) return digits.length === 14;
  if (four >= 3528 && four <= 3589) return digits.length >= 16;
  if (two === 62) return digits.length >= 16;
  return false;
}

/**
 * PII rules: e-mail, phone, public IP addresses, payment cards. Phones are matched only in
 * written forms (`+44 20 7946 0958`, `(415) 555-0100`, `415-555-0100`) to spare the numbers of
 * code and logs.
 */
export const piiRules: readonly RedactionRule[] = [
  {
    kind: 'email',
    class: 'pii',
    trigger: { anyOf: ['@'] },
    pattern: /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b/g,
    accept: (value) => !exampleDomain.test(value),
  },
  {
    kind: 'card_number',
    class: 'pii',
    trigger: numberRun,
    pattern: /(?<![0-9A-Za-z_.-])[2-6]\d{3}(?:[ -]?\d{2,4}){2,5}(?![0-9A-Za-z_-])/g,
    accept: cardNumber,
  },
  {
    kind: 'phone',
    class: 'pii',
    trigger: numberRun,
    pattern:
      /(?<![\w.+/-])(?:\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]\d{2,4}){2,4}|\(\d{3}\)\s?\d{3}[ .-]\d{4}|\d{3}[.-]\d{3}[.-]\d{4})(?![\w.-])/g,
    accept: (value) => {
      const digits = value.replace(/\D/g, '').length;
      return digits >= 10 && digits <= 15;
    },
  },
  {
    kind: 'ip_address',
    class: 'pii',
    trigger: { test: /\d\.\d{1,3}\.\d/ },
    pattern: /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]|\.\d)/g,
    accept: (value) => isIPv4(value) && publicIPv4(value),
  },
  {
    kind: 'ip_address',
    class: 'pii',
    trigger: { test: /::|:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}:/ },
    pattern:
      /(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:){1,7}(?::|(?::[0-9A-Fa-f]{1,4}){1,6}|[0-9A-Fa-f]{1,4})(?![\w:])/g,
    accept: publicIPv6,
  },
];
