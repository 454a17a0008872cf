/**
 * Text that is not clean Unicode cannot be written as UTF-8 JSON a trainer reads back the same:
 * lone surrogates (from `\ud800` escapes), NUL and other control characters, and bytes that were
 * never UTF-8 (decoded as U+FFFD on import).
 */

// Control characters other than tab, line feed and carriage return (matching them is the point).
// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const replacement = '\ufffd';

/** A string this share of replacement characters (or more) was binary, not text. */
const undecodableShare = 0.1;
const undecodableMinimum = 8;

export type RepairedText = { text: string; repaired: boolean; undecodable: boolean };

export function repairText(text: string): RepairedText {
  let out = text;
  let repaired = false;
  if (!out.isWellFormed()) {
    out = out.toWellFormed();
    repaired = true;
  }
  controls.lastIndex = 0;
  if (controls.test(out)) {
    out = out.replace(controls, '');
    repaired = true;
  }
  if (out.includes(replacement)) {
    let count = 0;
    for (let at = out.indexOf(replacement); at !== -1; at = out.indexOf(replacement, at + 1)) count++;
    if (count >= undecodableMinimum && count / out.length >= undecodableShare) {
      return {
        text: `[undecodable content removed: ${out.length} characters]`,
        repaired: false,
        undecodable: true,
      };
    }
  }
  return { text: out, repaired, undecodable: false };
}

/** Characters a clean training file must not hold (validation code `invalid_text`). */
export function hasInvalidText(text: string): boolean {
  controls.lastIndex = 0;
  return !text.isWellFormed() || controls.test(text);
}
