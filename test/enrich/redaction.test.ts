import { describe, expect, it } from 'vitest';
import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import type { MessageInput } from '../../src/domain/message.ts';
import { IngestPipeline } from '../../src/enrich/ingest-pipeline.ts';
import { RecordRedactor } from '../../src/enrich/record-redactor.ts';
import { luhnValid } from '../../src/enrich/redaction-rule.ts';
import type { ParsedRecord } from '../../src/sources/source-format.ts';
import { canaries, canaryText, lookalikes, type CanaryKind } from '../fixtures/enrich/canaries.ts';

function message(text: string, extra: Partial<MessageInput> = {}): MessageInput {
  return {
    source: 'api',
    sessionExternalId: 's1',
    externalId: 'm1',
    parentExternalId: null,
    role: 'user',
    kind: 'message',
    speaker: null,
    blocks: [{ type: 'text', text }],
    text,
    model: null,
    usage: null,
    responseId: null,
    timestamp: 1,
    seq: 0,
    contentHash: 'h',
    meta: {},
    ...extra,
  };
}

function record(m: MessageInput | null, title?: string): ParsedRecord {
  return {
    recordType: 'message',
    sessionExternalId: 's1',
    sessions: [{ source: 'api', externalId: 's1', ...(title === undefined ? {} : { fallbackTitle: title }) }],
    message: m,
    usage: null,
    images: [],
    problem: null,
  };
}

const mask = () => new RecordRedactor({ policy: 'mask', pii: true });
const kinds = Object.keys(canaries) as CanaryKind[];

describe('redaction rules', () => {
  it.each(kinds)('replaces a %s with its typed placeholder', (kind) => {
    const text = canaryText(kind);
    const out = mask().redact(record(message(text)), null);
    const redacted = out.record.message!.text;
    expect(redacted).toContain(`[REDACTED:${kind}]`);
    expect(redacted).not.toContain(canaries[kind]);
    expect(out.counts[kind]).toBe(1);
  });

  it.each(lookalikes)('keeps %j as it is', (text) => {
    const out = mask().redact(record(message(text)), null);
    expect(out.record.message!.text).toBe(text);
    expect(out.counts).toEqual({});
  });

  it('keeps what is not secret around a finding', () => {
    const out = mask().redact(record(message(canaryText('connection_string_password'))), null);
    expect(out.record.message!.text).toBe(
      'export DATABASE_URL=postgres://app_user:[REDACTED:connection_string_password]@db.internal:5432/orders',
    );
  });

  it('checks card numbers with Luhn', () => {
    expect(luhnValid('4111 1111 1111 1111')).toBe(true);
    expect(luhnValid('4111 1111 1111 1112')).toBe(false);
  });

  it('leaves PII alone when PII redaction is off, still redacting secrets', () => {
    const redactor = new RecordRedactor({ policy: 'mask', pii: false });
    const text = `${canaryText('email')} ${canaryText('github_token')}`;
    const out = redactor.redact(record(message(text)), null).record.message!.text;
    expect(out).toContain(canaries.email);
    expect(out).not.toContain(canaries.github_token);
  });

  it('finds everything secretlint finds in the canaries', async () => {
    const text = kinds.map(canaryText).join('\n');
    const result = await lintSource({
      source: { content: text, filePath: '/canaries.txt', ext: '.txt', contentType: 'text' },
      options: {
        config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommended }] },
      },
    });
    expect(result.messages.length).toBeGreaterThan(3);
    const redacted = mask().redact(record(message(text)), null).record.message!.text;
    for (const finding of result.messages) {
      const found = text.slice(finding.range[0], finding.range[1]);
      expect(redacted, `${finding.ruleId}: ${finding.message}`).not.toContain(found);
    }
  });
});

describe('redacting a record', () => {
  it('redacts every string of the message and the session patch, counting repeats once', () => {
    const token = canaries.github_token;
    const m = message(`use ${token}`, {
      blocks: [
        { type: 'text', text: `use ${token}` },
        {
          type: 'tool_use',
          id: 't1',
          name: 'Bash',
          input: { command: `gh auth login --with-token ${token}` },
        },
      ],
      meta: { note: { nested: [`token ${token}`] } },
      speaker: { name: canaries.email, role: 'customer' },
    });
    const out = mask().redact(record(m, `first prompt: use ${token}`), null);
    const json = JSON.stringify(out.record);
    expect(json).not.toContain(token);
    expect(json).not.toContain(canaries.email);
    // Text block, tool input, meta, session title: four fields (text repeats the text block).
    expect(out.counts).toEqual({ github_token: 4, email: 1 });
  });

  it('scans decoded JSON strings of the raw record: escapes hide nothing', () => {
    const key = canaries.private_key;
    const token = canaries.aws_access_key;
    // The key's new lines are `\n` escapes, the token's first letter a `\u0041` escape.
    const raw = `{"type":"user","content":${JSON.stringify(key)},"env":"AWS=\\u0041${token.slice(1)}","n":1}`;
    const out = mask().redact(record(message('see the raw record')), new TextEncoder().encode(raw));
    const stored = new TextDecoder().decode(out.raw!);
    expect(JSON.parse(stored)).toEqual({
      type: 'user',
      content: '[REDACTED:private_key]',
      env: 'AWS=[REDACTED:aws_access_key]',
      n: 1,
    });
    expect(out.rawCounts).toEqual({ private_key: 1, aws_access_key: 1 });
  });

  it('keeps raw bytes untouched (the same array) when nothing is found', () => {
    const raw = new TextEncoder().encode('{"text":"nothing to see here","n":[1,2,3]}');
    const out = mask().redact(record(message('nothing to see here')), raw);
    expect(out.raw).toBe(raw);
    expect(out.record.message!.text).toBe('nothing to see here');
  });

  it('redacts raw text that is not JSON as a whole', () => {
    const raw = new TextEncoder().encode(`plain log line ${canaries.stripe_key}`);
    const out = mask().redact(record(null), raw);
    expect(new TextDecoder().decode(out.raw!)).toBe('plain log line [REDACTED:stripe_key]');
  });

  it('policy off stores everything as received', () => {
    const text = canaryText('openai_key');
    const out = new RecordRedactor({ policy: 'off', pii: true }).redact(record(message(text)), null);
    expect(out.record.message!.text).toBe(text);
  });

  it('policy drop-message keeps the message but not its content', () => {
    const redactor = new RecordRedactor({ policy: 'drop-message', pii: true });
    const out = redactor.redact(record(message(canaryText('jwt'), { meta: { ticket: 42 } })), null);
    expect(out.dropped).toBe(true);
    expect(out.record.message!.text).toBe('[REDACTED:message]');
    expect(out.record.message!.blocks).toEqual([{ type: 'text', text: '[REDACTED:message]' }]);
    expect(out.record.message!.meta).toEqual({ ticket: 42 });
    expect(out.counts).toEqual({ jwt: 1 });
  });
});

describe('the ingest pipeline', () => {
  it('records what redaction did on the message, by kind', () => {
    const pipeline = new IngestPipeline();
    const text = `${canaryText('slack_token')} and ${canaryText('email')}`;
    const prepared = pipeline.prepare(record(message(text)), null);
    const result = prepared.enrichment!.results.find((r) => r.enricher === 'redaction');
    expect(result?.value).toEqual({
      policy: 'mask',
      counts: { slack_token: 1, email: 1 },
      raw: {},
      dropped: false,
    });
    const labels = prepared.enrichment!.labels.filter((l) => l.facet === 'redacted').map((l) => l.label);
    expect(labels.sort()).toEqual(['email', 'slack_token']);
  });

  it('stores nothing it could not scan: a record nested too deep to walk loses its content', () => {
    let deep: unknown = canaries.github_token;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const m = message('ok', { blocks: [{ type: 'tool_use', id: 't', name: 'X', input: deep }] });
    const prepared = new IngestPipeline().prepare(record(m), new TextEncoder().encode('{"x":1}'));
    expect(JSON.stringify(prepared.record.message)).not.toContain(canaries.github_token);
    expect(prepared.record.message!.text).toBe('[REDACTED:unscannable]');
    expect(new TextDecoder().decode(prepared.raw!)).toContain('unscannable');
  });
});
