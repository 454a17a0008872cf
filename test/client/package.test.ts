import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listening } from '../server/server-fixture.ts';
import { projectRoot } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

const consumerScript = `
import { createClient } from 'agentlog/client';
const [url, apiKey] = process.argv.slice(2);
const client = createClient({ url, apiKey });
for (const n of [1, 2, 3]) client.capture({ id: 'pkg-' + n, session: 'from-a-package', role: 'user', content: 'hello ' + n });
const delivered = await client.close();
console.log(JSON.stringify({ delivered, stats: client.stats() }));
`;

const consumerTypes = `
import { createClient, type ClientWarning } from 'agentlog/client';
const warnings: ClientWarning[] = [];
const client = createClient({ url: 'http://127.0.0.1:7777', apiKey: 'k', transport: 'websocket', onWarning: (w) => warnings.push(w) });
const id: string | null = client.capture({ session: 's', role: 'user', content: [{ type: 'text', text: 'hi' }] });
client.startSession('s', { title: 't' });
// @ts-expect-error: a role the API does not know
client.capture({ session: 's', role: 'robot', content: 'x' });
export const done: Promise<boolean> = client.close();
export { id };
`;

describe('agentlog/client as an installed package', () => {
  it('is importable by name from a packed tarball with no dependencies installed, and typed', async () => {
    const dir = tempDir();
    // npm pack runs `prepare`, which builds dist/client from src/client.
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--pack-destination', dir, '--json'], {
        cwd: projectRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as { filename: string }[];
    const consumer = join(dir, 'consumer');
    const installed = join(consumer, 'node_modules', 'agentlog');
    mkdirSync(installed, { recursive: true });
    execFileSync('tar', ['xzf', join(dir, packed[0]!.filename), '-C', installed, '--strip-components=1']);
    expect(readdirSync(join(installed, 'dist', 'client'))).toContain('index.d.ts');
    // Nothing but relative imports: the client needs no package at run time.
    for (const file of readdirSync(join(installed, 'dist', 'client')).filter((f) => f.endsWith('.js'))) {
      const imports = readFileSync(join(installed, 'dist', 'client', file), 'utf8').match(
        /from ['"][^'"]+['"]/g,
      );
      for (const spec of imports ?? []) expect(spec, file).toMatch(/from ['"]\.\//);
    }
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    writeFileSync(join(consumer, 'main.mjs'), consumerScript);
    writeFileSync(join(consumer, 'types.ts'), consumerTypes);
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', strict: true, noEmit: true, target: 'es2022', types: [] },
        files: ['types.ts'],
      }),
    );

    const typecheck = spawnSync(
      process.execPath,
      [join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', consumer],
      { encoding: 'utf8' },
    );
    expect(typecheck.stdout + typecheck.stderr).toBe('');

    const f = await listening(tempDir());
    try {
      // Asynchronously: the server answering it runs in this process.
      const run = await promisify(execFile)(
        process.execPath,
        [join(consumer, 'main.mjs'), f.server.url, f.key],
        {
          cwd: consumer,
          encoding: 'utf8',
          env: { PATH: process.env.PATH },
        },
      );
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toMatchObject({ delivered: true, stats: { accepted: 3, pending: 0 } });
      const [session] = await f.agentlog.store.findSessions(f.agentlog.project.id, 'from-a-package');
      expect(session).toMatchObject({ messageCount: 3 });
    } finally {
      await f.close();
    }
  });
});
