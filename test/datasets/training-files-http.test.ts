import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type {
  BuildSummary,
  CreateResult,
  DownloadResult,
  ValidationReport,
} from '../../src/datasets/dataset-contract.ts';
import { builtFilePath } from '../../src/datasets/downloads.ts';
import { signedQuery, signPath } from '../../src/datasets/signed-url.ts';
import { bearer, listening } from '../server/server-fixture.ts';
import { ownFixtures } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { codingTurns, seedSession } from './dataset-fixture.ts';

const tempDir = useTempDirs();

describe('/v1/training-files', () => {
  it('the library over HTTP, and downloads by signed URL without a key', async () => {
    const dir = tempDir();
    const f = await listening(dir);
    try {
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) ids.push(await seedSession(f.agentlog, `s${i}`, codingTurns(i)));
      const call = (method: string, path: string, body?: unknown, key = f.key) =>
        fetch(`${f.server.url}${path}`, {
          method,
          headers: { ...bearer(key), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });

      const created = await call('POST', '/v1/training-files', { name: 'web', sessions: ids.slice(0, 11) });
      expect(created.status).toBe(201);
      const file = ((await created.json()) as CreateResult).trainingFile;
      expect((await call('POST', '/v1/training-files', { name: 'web', sessions: [ids[11]] })).status).toBe(
        409,
      );
      const duplicate = await call('POST', `/v1/training-files/${file.id}/sessions`, {
        sessions: [ids[11], ids[0]],
      });
      expect(duplicate.status).toBe(409);
      expect(await duplicate.json()).toMatchObject({
        error: { code: 'CONFLICT', message: `Already in web: ${ids[0]}. Nothing was added.` },
      });
      expect(
        (await call('POST', `/v1/training-files/${file.id}/sessions`, { sessions: [ids[11]] })).status,
      ).toBe(200);
      const removed = await call('POST', `/v1/training-files/web/sessions:remove`, { sessions: [ids[11]] });
      expect(await removed.json()).toMatchObject({ trainingFile: { sessionCount: 11 }, sessions: [ids[11]] });
      expect(await (await call('GET', '/v1/training-files')).json()).toMatchObject({
        trainingFiles: [{ id: file.id }],
      });
      expect(await (await call('GET', `/v1/training-files/${file.id}/sessions`)).json()).toMatchObject({
        sessions: expect.any(Array),
      });

      const built = await call('POST', `/v1/training-files/${file.id}/builds`, { validationFraction: 0.3 });
      expect(built.status).toBe(201);
      const summary = (await built.json()) as BuildSummary;
      expect(summary).toMatchObject({ version: 1, examples: 11 });

      const download = (await (
        await call('GET', `/v1/training-files/${file.id}/download?format=jsonl`)
      ).json()) as DownloadResult;
      expect(download.version).toBe(1);
      expect(Date.parse(download.expiresAt) - Date.now()).toBeGreaterThan(3500_000);
      const fetched = await fetch(download.url);
      expect(fetched.status).toBe(200);
      expect(fetched.headers.get('content-type')).toContain('application/x-ndjson');
      const bytes = Buffer.from(await fetched.arrayBuffer());
      const train = download.files.find((x) => x.role === 'train')!;
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(train.sha256);

      const tampered = download.url.replace(
        /signature=(.)/,
        (_m, c: string) => `signature=${c === 'A' ? 'B' : 'A'}`,
      );
      expect((await fetch(tampered)).status).toBe(403);
      const otherFile = download.url.replace('/files/train.jsonl', '/files/manifest.json');
      expect((await fetch(otherFile)).status).toBe(403);
      const key = Buffer.from(readFileSync(join(dir, 'secrets', 'url-signing.key'), 'utf8').trim(), 'utf8');
      const past = Math.floor(Date.now() / 1000) - 10;
      const expired = await fetch(
        `${f.server.url}${signedQuery(signPath(key, builtFilePath(file.id, 1, 'train.jsonl'), past))}`,
      );
      expect(expired.status).toBe(403);
      expect(await expired.json()).toMatchObject({
        error: { code: 'FORBIDDEN', message: 'This download link has expired.' },
      });

      const document = (await (
        await call('GET', `/v1/training-files/web/download?format=json`)
      ).json()) as DownloadResult;
      expect(document).toMatchObject({ format: 'json', version: 2 });
      const doc = (await (await fetch(document.url)).json()) as { schema: string; examples: unknown[] };
      expect(doc.schema).toBe('agentlog.training-file/1');
      expect(doc.examples).toHaveLength(11);
    } finally {
      await f.close();
    }
  });

  it('validates an uploaded file, keeps projects apart, and checks scopes', async () => {
    const f = await listening(tempDir());
    try {
      const id = await seedSession(f.agentlog, 's0', codingTurns(0));
      const created = await fetch(`${f.server.url}/v1/training-files`, {
        method: 'POST',
        headers: { ...bearer(f.key), 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'mine', sessions: [id] }),
      });
      expect(created.status).toBe(201);
      const other = await f.newKey('other');
      expect((await fetch(`${f.server.url}/v1/training-files/mine`, { headers: bearer(other) })).status).toBe(
        404,
      );
      const reader = await f.newKey('default', ['read']);
      const refused = await fetch(`${f.server.url}/v1/training-files/mine/builds`, {
        method: 'POST',
        headers: bearer(reader),
      });
      expect(refused.status).toBe(403);
      const upload = await fetch(`${f.server.url}/v1/training-files:validate?format=openai`, {
        method: 'POST',
        headers: { ...bearer(reader), 'content-type': 'application/x-ndjson' },
        body: readFileSync(join(ownFixtures, 'datasets', 'bad-openai.jsonl')),
      });
      expect(upload.status).toBe(200);
      const report = (await upload.json()) as ValidationReport;
      expect(report).toMatchObject({ ok: false, errorCount: 13 });
      const tooFew = await fetch(`${f.server.url}/v1/training-files/mine/builds`, {
        method: 'POST',
        headers: { ...bearer(f.key), 'content-type': 'application/json' },
        body: '{}',
      });
      expect(tooFew.status).toBe(422);
      expect(await tooFew.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    } finally {
      await f.close();
    }
  });
});
