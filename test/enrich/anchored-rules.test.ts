import { describe, expect, it } from 'vitest';
import { piiRules } from '../../src/enrich/pii-rules.ts';
import type { RedactionRule } from '../../src/enrich/redaction-rule.ts';
import { secretRules } from '../../src/enrich/secret-rules.ts';
import { TextRedactor } from '../../src/enrich/text-redactor.ts';
import { canaries, canaryText, lookalikes, type CanaryKind } from '../fixtures/enrich/canaries.ts';

const rules = [...secretRules, ...piiRules];
const anchored = rules.filter((r) => r.startsAtTrigger === true);

/** Texts where secret-named assignments appear in many shapes and cases, next to non-ASCII text. */
const samples = [
  ...Object.keys(canaries).map((kind) => canaryText(kind as CanaryKind)),
  ...lookalikes,
  'export API_KEY=${API_KEY}\nexport API_KEY=Zk3pQ9xL2mV7bN4cR8tY1wE6uI0oA5sD',
  'ключ token: "Zk3pQ9xL2mV7bN4cR8tY1wE6uI0oA5sD" and tokentoken=abcdefghijklmnop1',
  '{"Credentials":{"SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYz9Q2pL8vN3"}}',
  'PASSWORD=xxxxxxxx PassPhrase => "c0rrect-h0rse-battery" pwd:=Tr0ub4dor&3x',
  'keykey key key=xxxxxxxxxxxxxxxxxxxx kEy=Zk3pQ9xL2mV7bN4cR8tY1wE6uI0oA5sD secretsecret',
];

function literalsOf(rule: RedactionRule): string[] {
  const t = rule.trigger;
  return 'anyOf' in t ? [...t.anyOf] : 'anyOfLower' in t ? [...t.anyOfLower] : [];
}

describe('rules tried only where their trigger occurs', () => {
  it('are the secret-named assignments, whose patterns open with their trigger words', () => {
    expect(anchored.map((r) => r.kind).sort()).toEqual(['high_entropy_secret', 'password_assignment']);
  });

  it.each(anchored.map((r) => [r.kind, r] as const))(
    '%s: every match begins at a trigger literal',
    (_, rule) => {
      const pattern = new RegExp(rule.pattern.source, rule.pattern.flags);
      let matches = 0;
      for (const text of samples) {
        for (const m of text.matchAll(pattern)) {
          matches++;
          const at = text.slice(m.index).toLowerCase();
          expect(literalsOf(rule).some((literal) => at.startsWith(literal.toLowerCase()))).toBe(true);
        }
      }
      expect(matches).toBeGreaterThan(3);
    },
  );

  it('finds a secret after a rejected match of the same rule, in any letter case', () => {
    const redactor = new TextRedactor(secretRules);
    const context = samples[samples.length - 1]!;
    expect(redactor.rulesFor(context).map((r) => r.kind)).toEqual(['high_entropy_secret']);
    const counts = {};
    expect(redactor.redact(context, counts, redactor.rulesFor(context))).toBe(
      'keykey key key=xxxxxxxxxxxxxxxxxxxx kEy=[REDACTED:high_entropy_secret] secretsecret',
    );
  });

  it('chooses the same rules as searching the whole text', () => {
    const redactor = new TextRedactor(rules);
    for (const text of samples) {
      const searched = rules.filter((rule) => {
        const whole = Object.fromEntries(Object.entries(rule).filter(([key]) => key !== 'startsAtTrigger'));
        return new TextRedactor([whole as RedactionRule]).rulesFor(text).length === 1;
      });
      expect(redactor.rulesFor(text).map((r) => r.kind)).toEqual(searched.map((r) => r.kind));
    }
  });
});
