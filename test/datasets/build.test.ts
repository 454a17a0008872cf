import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Agentlog } from '../../src/agentlog.ts';
import { buildSummarySchema } from '../../src/datasets/dataset-contract.ts';
import { validateFile, defaultFileValidation } from '../../src/datasets/validate/validate-file.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import {
  assistant,
  call,
  codingTurns,
  filesOf,
  openAgentlog,
  result,
  seedSession,
  user,
  type Turn,
} from './dataset-fixture.ts';

const tempDir = useTempDirs();

async function blobText(agentlog: Agentlog, key: string): Promise<string> {
  const body = await agentlog.blobs.get(key);
  if (body === null) throw new Error(`no blob ${key}`);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

async function seedMany(agentlog: Agentlog, count: number, from = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let i = from; i < from + count; i++) ids.push(await seedSession(agentlog, `s${i}`, codingTurns(i)));
  return ids;
}

const fileOf = (
  summary: { files: { name: string; key: string; sha256: string; path?: string }[] },
  name: string,
) => {
  const found = summary.files.find((f) => f.name === name);
  if (found === undefined) throw new Error(`no ${name} in ${summary.files.map((f) => f.name).join(', ')}`);
  return found;
};

describe('dataset build', () => {
  it('is reproducible, validated, split without leakage, with a manifest of hashes', async () => {
    const dir = tempDir();
    const agentlog = await openAgentlog(dir);
    try {
      await seedMany(agentlog, 14);
      const files = filesOf(agentlog);
      await files.create({ name: 'coding', filter: 'source=fixture' });
      const out = join(dir, 'out');
      const first = await files.build('coding', { validationFraction: 0.5 }, { out });
      const second = await files.build('coding', { validationFraction: 0.5 });
      expect(buildSummarySchema.parse(first)).toEqual(first);
      expect([first.version, second.version]).toEqual([1, 2]);
      expect(second.digest).toBe(first.digest);
      expect(second.files.map((f) => [f.name, f.sha256])).toEqual(first.files.map((f) => [f.name, f.sha256]));
      expect(first.examples).toBe(14);
      expect(first.split.train + first.split.validation).toBe(14);
      expect(first.split.validation).toBeGreaterThan(0);
      expect(first.split.train).toBeGreaterThan(0);
      expect(first.quality.min).toBeGreaterThanOrEqual(0.5);
      expect(first.distribution.source).toEqual({ fixture: 14 });
      for (const f of first.files) {
        const bytes = readFileSync(f.path!);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
        expect(await blobText(agentlog, f.key)).toBe(bytes.toString('utf8'));
      }
      for (const split of ['train.jsonl', 'validation.jsonl']) {
        const report = await validateFile(join(out, split), {
          ...defaultFileValidation,
          format: 'openai',
          minExamples: 1,
        });
        expect(report.errors).toEqual([]);
      }
      const provenance = readFileSync(join(out, 'provenance.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const sides = new Map<string, Set<string>>();
      for (const p of provenance) sides.set(p.session, (sides.get(p.session) ?? new Set()).add(p.split));
      expect([...sides.values()].every((s) => s.size === 1)).toBe(true);
      expect(provenance[0]).toMatchObject({
        line: 1,
        strategy: 'conversation',
        messageIds: expect.any(Array),
      });
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
      expect(manifest).toMatchObject({
        schema: 'agentlog.training-manifest/1',
        format: 'openai',
        inputs: { sessions: 14 },
      });
      expect(manifest.inputs.each[0]).toEqual({
        session: expect.stringMatching(/^ses_/),
        messages: 4,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(manifest.outputs.map((o: { name: string }) => o.name)).toEqual([
        'train.jsonl',
        'validation.jsonl',
        'provenance.jsonl',
        'dropped.jsonl',
      ]);
      expect(
        createHash('sha256')
          .update(readFileSync(join(out, 'manifest.json')))
          .digest('hex'),
      ).toBe(first.digest);
      const shown = await files.show('coding');
      expect(shown.builds.map((b) => b.version)).toEqual([2, 1]);
      expect(shown.builds[0]!.summary).toMatchObject({ examples: 14, digest: first.digest });
    } finally {
      await agentlog.close();
    }
  });

  it('handles bad input by its rules and counts it', async () => {
    const agentlog = await openAgentlog(tempDir());
    try {
      await seedMany(agentlog, 10);
      const huge = `line of output\n`.repeat(3000);
      const turns: Turn[] = [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What does this screenshot show, and can you list the repo?' },
            { type: 'image', mediaType: 'image/png', size: 1234, sha256: null },
          ],
        },
        call('t1', 'Bash', { command: 'ls -R' }),
        result('t1', huge),
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'nothing to say' }] },
        call('t2', 'Bash', { command: 'never answered' }),
        assistant(
          'The screenshot shows the login page. The repository holds a src folder with the server and a test folder with \ud800 its tests, listed above in full detail for you.',
        ),
      ];
      await seedSession(agentlog, 'messy', turns);
      const files = filesOf(agentlog);
      await files.create({ name: 'messy', filter: 'source=fixture' });
      const summary = await files.build('messy');
      expect(summary.badInput).toMatchObject({
        orphanToolCalls: 1,
        emptyAssistantMessages: 1,
        images: 1,
        truncatedToolOutputs: 1,
        repairedText: 1,
      });
      expect(summary.examples).toBe(11);
      const train = await blobText(agentlog, fileOf(summary, 'train.jsonl').key);
      expect(train).toContain('[image: image/png]');
      expect(train).toContain('characters truncated');
      expect(train).not.toContain('never answered');
    } finally {
      await agentlog.close();
    }
  });

  it('passes every example through the secret gate: masked by default, dropped when asked', async () => {
    const agentlog = await openAgentlog(tempDir());
    try {
      await seedMany(agentlog, 10);
      const token = `ghp_${'Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0Uv1Wx2'}`;
      await seedSession(
        agentlog,
        'leaky',
        [
          user(`Push with my token ${token} please, the remote needs it.`),
          assistant(
            'I pushed the branch with the token you gave; consider rotating it afterwards since it is now in the history.',
          ),
        ],
        { pipeline: { redaction: { policy: 'off', pii: false } }, title: `deploy with ${token}` },
      );
      const files = filesOf(agentlog);
      await files.create({ name: 'leaky', filter: 'source=fixture' });
      const masked = await files.build('leaky');
      expect(masked.masked).toEqual({ github_token: 1 });
      const train = await blobText(agentlog, fileOf(masked, 'train.jsonl').key);
      expect(train).not.toContain(token);
      expect(train).toContain('[REDACTED:github_token]');
      const document = await files.build('leaky', { format: 'json' });
      expect(document.masked).toEqual({ github_token: 2 });
      const text = await blobText(agentlog, fileOf(document, 'dataset.json').key);
      expect(text).not.toContain(token);
      expect(text).toContain('"title":"deploy with [REDACTED:github_token]"');
      const dropped = await files.build('leaky', { secrets: 'drop' });
      expect(dropped.dropped.byReason).toEqual({ secret_found: 1 });
      expect(dropped.dropped.list[0]).toMatchObject({
        reason: 'secret_found',
        detail: 'The redaction rules find github_token ×1.',
      });
    } finally {
      await agentlog.close();
    }
  });

  it('drops near-duplicates (keeping the best) or keeps them together on one side of the split', async () => {
    const agentlog = await openAgentlog(tempDir());
    try {
      await seedMany(agentlog, 10);
      const twin = (n: number, extra: string) =>
        codingTurns(3).map((t, i) => (i === 3 ? assistant(`${String(t.content)} ${extra}`) : t));
      await seedSession(agentlog, 'twin-a', twin(1, 'Thanks.'));
      await seedSession(agentlog, 'twin-b', twin(2, 'Good luck with it.'));
      const files = filesOf(agentlog);
      await files.create({ name: 'twins', filter: 'source=fixture' });
      const dropped = await files.build('twins');
      // s3 and the two twins are one cluster: two of the three go.
      expect(dropped.dropped.byReason).toEqual({ near_duplicate: 2 });
      expect(dropped.nearDuplicateClusters).toBe(1);
      expect(dropped.dropped.list[0]!.detail).toMatch(/^A near-duplicate \(similarity 0\.\d+\) of ex_/);
      const grouped = await files.build('twins', {
        nearDuplicates: 'group',
        validationFraction: 0.5,
        seed: 'x',
      });
      expect(grouped.examples).toBe(12);
      const provenance = (await blobText(agentlog, fileOf(grouped, 'provenance.jsonl').key))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const ids = new Set(
        (await files.sessions('twins')).sessions
          .filter((s) => /twin|^s3/.test(s.title ?? ''))
          .map((s) => s.sessionId),
      );
      expect(ids.size).toBe(0); // titles are not set; look the cluster up by its sessions instead
      const twinSessions = (await agentlog.store.findSessions(agentlog.project.id, 'twin-')).map((s) => s.id);
      const s3 = (await agentlog.store.findSessions(agentlog.project.id, 's3'))[0]!.id;
      const sides = new Set(
        provenance.filter((p) => [...twinSessions, s3].includes(p.session)).map((p) => p.split),
      );
      expect(sides.size).toBe(1);
    } finally {
      await agentlog.close();
    }
  });

  it('writes nothing when too few examples remain, and says why', async () => {
    const agentlog = await openAgentlog(tempDir());
    try {
      await seedMany(agentlog, 3);
      await seedSession(agentlog, 'refusal', [
        user('Delete the production database now.'),
        assistant("I'm sorry, but I can't help with that request."),
      ]);
      const files = filesOf(agentlog);
      await files.create({ name: 'small', filter: 'source=fixture' });
      const failure = files.build('small');
      await expect(failure).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(failure).rejects.toThrow(
        'small gives 3 examples; at least 10 are needed. Nothing was written.',
      );
      expect((await files.show('small')).builds).toEqual([]);
      const keys: string[] = [];
      for await (const key of agentlog.blobs.list('training-files/')) keys.push(key);
      expect(keys).toEqual([]);
      const low = await files.build('small', { minExamples: 1 });
      expect(low.dropped.byReason).toEqual({ low_quality: 1 });
      expect(low.dropped.list[0]!.detail).toMatch(/^Quality 0\.\d+ < 0\.5 \(weakest: refusals 0/);
    } finally {
      await agentlog.close();
    }
  });
});
