import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { projectRoot } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { bearer, jsonOf, message, type BatchBody } from './server-fixture.ts';
import { WsClient, wsUrl } from './ws-client.ts';

const tempDir = useTempDirs();

describe('agentlog keys', () => {
  it('creates (printing the key once), lists and revokes keys', async () => {
    const dir = tempDir();
    const created = await runCli([
      '--data-dir',
      dir,
      'keys',
      'create',
      '--project',
      'web',
      '--scopes',
      'ingest',
      '--name',
      'ci',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout);
    expect(key).toMatchObject({ projectName: 'web', scopes: ['ingest'], name: 'ci', revokedAt: null });
    expect(key.key).toMatch(new RegExp(`^${key.id}_[A-Za-z0-9_-]{43}$`));

    const plain = await runCli(['--data-dir', dir, 'keys', 'create']);
    expect(plain.stdout).toMatch(/^alk_\w{16}_\S+\n$/);
    expect(plain.stderr).toContain('project default');

    const listed = JSON.parse((await runCli(['--data-dir', dir, 'keys', 'list', '--json'])).stdout);
    expect(listed.keys.map((k: { projectName: string }) => k.projectName)).toEqual(['web', 'default']);
    expect(JSON.stringify(listed)).not.toContain(key.key);
    const web = JSON.parse(
      (await runCli(['--data-dir', dir, '--project', 'web', 'keys', 'list', '--json'])).stdout,
    );
    expect(web.keys.map((k: { id: string }) => k.id)).toEqual([key.id]);

    const revoked = await runCli(['--data-dir', dir, 'keys', 'revoke', key.id]);
    expect([revoked.code, revoked.stdout]).toEqual([0, `Revoked ${key.id} (project web).\n`]);
    const text = (await runCli(['--data-dir', dir, 'keys', 'list'])).stdout;
    expect(text).toMatch(new RegExp(`${key.id} +web +ingest .*revoked +ci`));
    const unknown = await runCli(['--data-dir', dir, 'keys', 'revoke', 'alk_nothing']);
    expect([unknown.code, unknown.stderr]).toEqual([3, expect.stringContaining('No API key alk_nothing')]);
  });

  it('refuses an unknown scope', async () => {
    const result = await runCli(['--data-dir', tempDir(), 'keys', 'create', '--scopes', 'ingest,root']);
    expect([result.code, result.stderr]).toEqual([2, expect.stringContaining('Unknown scope "root"')]);
  });
});

describe('agentlog serve (spawned)', () => {
  it('serves until SIGTERM, answers the request in flight, then exits 0', async () => {
    const dir = tempDir();
    const key = JSON.parse((await runCli(['--data-dir', dir, 'keys', 'create', '--json'])).stdout)
      .key as string;
    // A long commit delay keeps the batch in flight until the shutdown commits it.
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ server: { commitDelayMs: 60_000 } }));
    const child = spawn(
      process.execPath,
      [join(projectRoot, 'bin', 'agentlog.js'), '--data-dir', dir, 'serve', '--port', '0'],
      {
        cwd: projectRoot,
        env: { PATH: process.env.PATH, TZ: 'UTC', NO_COLOR: '1', HOME: dir },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const lineMatching = (pattern: RegExp) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(stderr);
          if (match !== null) resolve(match);
        };
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          check();
        });
        void exited.then(() => reject(new Error(`server exited:\n${stderr}`)));
        check();
      });
    try {
      const [, url] = await lineMatching(/serving \S+ on (http:\/\/127\.0\.0\.1:\d+)/);
      const ws = await WsClient.open(wsUrl(url!, `?token=${encodeURIComponent(key)}`));
      await ws.close();
      const posted = fetch(`${url}/v1/messages:batch`, {
        method: 'POST',
        headers: { ...bearer(key), 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [message('a'), message('b')] }),
      });
      await lineMatching(/"url":"\/v1\/messages:batch"/);
      child.kill('SIGTERM');
      const answer = await posted;
      expect(answer.status).toBe(207);
      expect((await jsonOf<BatchBody>(answer)).results.map((r) => r.status)).toEqual([
        'accepted',
        'accepted',
      ]);
      expect(await exited).toBe(0);
      expect(stderr).toContain('agentlog: stopped');
      expect(stderr).toContain('token=[redacted]');
      expect(stderr).not.toContain(key.slice(21));
    } finally {
      child.kill('SIGKILL');
    }
    const sessions = JSON.parse(
      (await runCli(['--data-dir', dir, 'sessions', 'list', '--json'])).stdout,
    ).sessions;
    expect(sessions).toEqual([expect.objectContaining({ externalId: 's1', messageCount: 2 })]);
  });

  it('prints the OpenAPI document', async () => {
    const result = await runCli(['serve', '--print-openapi']);
    expect(JSON.parse(result.stdout)).toMatchObject({
      openapi: '3.1.0',
      paths: { '/v1/messages:batch': {} },
    });
  });
});
