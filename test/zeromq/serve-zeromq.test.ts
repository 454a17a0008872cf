import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Push } from 'zeromq';
import { loadConfig } from '../../src/config/config.ts';
import { runCli } from '../support/run-cli.ts';
import { projectRoot } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

describe('ZeroMQ settings', () => {
  it('are off by default; file < environment < flags', () => {
    const dir = tempDir();
    const off = loadConfig({ flags: { dataDir: dir }, env: {} });
    expect(off.server.zeromq).toEqual({ pull: null, sub: [], topics: [''] });

    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        server: { zeromq: { pull: 'tcp://127.0.0.1:6001', topics: ['a.'], project: 'agents' } },
      }),
    );
    const fromFile = loadConfig({ flags: { dataDir: dir }, env: {} }).server.zeromq;
    expect(fromFile).toEqual({ pull: 'tcp://127.0.0.1:6001', sub: [], topics: ['a.'], project: 'agents' });

    const env = {
      AGENTLOG_ZMQ_PULL: 'tcp://127.0.0.1:6002',
      AGENTLOG_ZMQ_SUB: 'tcp://10.0.0.5:5555, tcp://10.0.0.6:5555',
    };
    expect(loadConfig({ flags: { dataDir: dir }, env }).server.zeromq).toMatchObject({
      pull: 'tcp://127.0.0.1:6002',
      sub: ['tcp://10.0.0.5:5555', 'tcp://10.0.0.6:5555'],
    });
    const flags = { dataDir: dir, zmqPull: 'tcp://127.0.0.1:6003', zmqSub: ['tcp://127.0.0.1:5555'] };
    expect(loadConfig({ flags, env }).server.zeromq).toMatchObject({
      pull: 'tcp://127.0.0.1:6003',
      sub: ['tcp://127.0.0.1:5555'],
      project: 'agents',
    });
  });
});

describe('agentlog serve --zmq-pull (spawned)', () => {
  it('binds the PULL socket, stores what is pushed, and stops on SIGTERM', async () => {
    const dir = tempDir();
    const child = spawn(
      process.execPath,
      [
        join(projectRoot, 'bin', 'agentlog.js'),
        '--data-dir',
        dir,
        'serve',
        '--port',
        '0',
        '--zmq-pull',
        'tcp://127.0.0.1:*',
        '--zmq-project',
        'agents',
      ],
      {
        cwd: projectRoot,
        env: { PATH: process.env.PATH, HOME: dir, TZ: 'UTC' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const endpoint = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /ZeroMQ PULL on (tcp:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
        if (match) resolve(match[1]!);
      });
      void exited.then(() => reject(new Error(`server exited:\n${stderr}`)));
    });
    const push = new Push({ linger: 0 });
    try {
      push.connect(endpoint);
      await push.send(
        JSON.stringify({ Id: 'z1', ContextId: 'ctx', Message: 'pushed', SpeakerName: 'coder' }),
      );
      let sessions: { externalId: string; messageCount: number }[] = [];
      for (let i = 0; i < 200 && sessions.length === 0; i++) {
        await sleep(50);
        const listed = await runCli(['--data-dir', dir, '--project', 'agents', 'sessions', 'list', '--json']);
        if (listed.code === 0) sessions = JSON.parse(listed.stdout).sessions;
      }
      expect(sessions).toEqual([expect.objectContaining({ externalId: 'ctx', messageCount: 1 })]);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      push.close();
      child.kill('SIGKILL');
    }
  });
});
