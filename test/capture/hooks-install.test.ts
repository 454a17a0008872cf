import { copyFileSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hookAgent } from '../../src/capture/hooks/hook-agents.ts';
import { hookCommand, isAgentlogHook } from '../../src/capture/hooks/hook-command.ts';
import { withHooks, withoutHooks } from '../../src/capture/hooks/hook-settings.ts';
import { runCli } from '../support/run-cli.ts';
import { ownFixtures, projectRoot } from '../support/shared-fixtures.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const settingsFixtures = join(ownFixtures, 'hooks', 'settings');

function homeWith(fixture: string, relative: string): { home: string; file: string; original: string } {
  const home = tempDir();
  const file = join(home, relative);
  mkdirSync(join(file, '..'), { recursive: true });
  copyFileSync(join(settingsFixtures, fixture), file);
  return { home, file, original: readFileSync(file, 'utf8') };
}

const claudeEvents = ['Stop', 'SubagentStop', 'PreCompact', 'SessionEnd'];

describe('agentlog hooks install/uninstall claude', () => {
  it('adds agentlog to four events, keeps every other setting and hook, and is idempotent', async () => {
    const { home, file, original } = homeWith('claude-settings.json', '.claude/settings.json');
    const dataDir = join(home, 'store');
    const first = await runCli(['--data-dir', dataDir, 'hooks', 'install', 'claude'], { HOME: home });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('installed for Stop, SubagentStop, PreCompact, SessionEnd');

    const before = JSON.parse(original);
    const after = JSON.parse(readFileSync(file, 'utf8'));
    const { hooks: hooksBefore, ...restBefore } = before;
    const { hooks: hooksAfter, ...restAfter } = after;
    expect(restAfter).toEqual(restBefore);
    expect(hooksAfter.PreToolUse).toEqual(hooksBefore.PreToolUse);
    expect(hooksAfter.Stop[0]).toEqual(hooksBefore.Stop[0]);
    for (const event of claudeEvents) {
      const ours = hooksAfter[event].at(-1).hooks;
      expect(ours).toEqual([{ type: 'command', command: expect.any(String), timeout: 60 }]);
      expect(ours[0].command).toBe(
        hookCommand({
          node: process.execPath,
          script: join(projectRoot, 'bin', 'agentlog.js'),
          dataDir,
          agent: 'claude',
        }),
      );
    }

    const installed = readFileSync(file, 'utf8');
    const second = await runCli(['--data-dir', dataDir, 'hooks', 'install', 'claude'], { HOME: home });
    expect(second.stdout).toContain('already installed');
    expect(readFileSync(file, 'utf8')).toBe(installed);

    const removed = await runCli(['hooks', 'uninstall', 'claude'], { HOME: home });
    expect(removed.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(original);
    const again = await runCli(['hooks', 'uninstall', 'claude'], { HOME: home });
    expect(again.stdout).toContain('no agentlog hooks');
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('updates its own handler in place when installed again with another data directory', async () => {
    const { home, file } = homeWith('claude-settings.json', '.claude/settings.json');
    await runCli(['--data-dir', join(home, 'one'), 'hooks', 'install', 'claude'], { HOME: home });
    const result = await runCli(['--data-dir', join(home, 'two'), 'hooks', 'install', 'claude'], {
      HOME: home,
    });
    expect(result.stdout).toContain('updated');
    const hooks = JSON.parse(readFileSync(file, 'utf8')).hooks;
    for (const event of claudeEvents) {
      const ours = hooks[event].flatMap((g: { hooks: { command: string }[] }) =>
        g.hooks.filter((h) => isAgentlogHook(h.command, 'claude')),
      );
      expect(ours).toHaveLength(1);
      expect(ours[0].command).toContain(join(home, 'two'));
    }
  });

  it('writes through a symlinked settings file and creates a missing one', async () => {
    const home = tempDir();
    mkdirSync(join(home, 'dotfiles'));
    mkdirSync(join(home, '.claude'));
    writeFileSync(join(home, 'dotfiles', 'claude.json'), '{\n  "model": "sonnet"\n}\n');
    symlinkSync(join(home, 'dotfiles', 'claude.json'), join(home, '.claude', 'settings.json'));
    expect((await runCli(['hooks', 'install', 'claude'], { HOME: home })).code).toBe(0);
    expect(lstatSync(join(home, '.claude', 'settings.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(home, 'dotfiles', 'claude.json'), 'utf8')).hooks.Stop).toHaveLength(
      1,
    );

    const fresh = tempDir();
    expect((await runCli(['hooks', 'install', 'claude'], { HOME: fresh })).code).toBe(0);
    expect(
      Object.keys(JSON.parse(readFileSync(join(fresh, '.claude', 'settings.json'), 'utf8')).hooks),
    ).toEqual(claudeEvents);
  });

  it('leaves a file it cannot parse untouched and says so', async () => {
    const home = tempDir();
    mkdirSync(join(home, '.claude'));
    const text = '{\n  // my settings\n  "model": "opus"\n}\n';
    writeFileSync(join(home, '.claude', 'settings.json'), text);
    const result = await runCli(['hooks', 'install', 'claude'], { HOME: home });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not valid JSON');
    expect(readFileSync(join(home, '.claude', 'settings.json'), 'utf8')).toBe(text);
  });
});

describe('agentlog hooks install/uninstall for Gemini CLI and Codex', () => {
  it('gemini: adds AfterAgent, PreCompress and SessionEnd in the file’s own indentation, keeps hooks.disabled', async () => {
    const { home, file, original } = homeWith('gemini-settings.json', '.gemini/settings.json');
    expect((await runCli(['hooks', 'install', 'gemini'], { HOME: home })).code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('\n    "general"');
    const hooks = JSON.parse(text).hooks;
    expect(hooks.disabled).toEqual(['old-hook']);
    expect(hooks.BeforeTool).toEqual(JSON.parse(original).hooks.BeforeTool);
    for (const event of ['AfterAgent', 'PreCompress', 'SessionEnd']) {
      expect(hooks[event]).toEqual([
        { hooks: [expect.objectContaining({ name: 'agentlog', type: 'command', timeout: 60_000 })] },
      ]);
    }
    expect((await runCli(['hooks', 'uninstall', 'gemini'], { HOME: home })).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('codex: writes $CODEX_HOME/hooks.json and says what it could not do', async () => {
    const home = tempDir();
    const codexHome = join(home, 'codex-home');
    const result = await runCli(['hooks', 'install', 'codex'], { HOME: home, CODEX_HOME: codexHome });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('notify = [');
    const file = join(codexHome, 'hooks.json');
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).hooks)).toEqual(claudeEvents);
    expect((await runCli(['hooks', 'uninstall', 'codex'], { HOME: home, CODEX_HOME: codexHome })).code).toBe(
      0,
    );
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({});
  });
});

describe('hook settings', () => {
  it('puts project settings in the directory given, user settings under CLAUDE_CONFIG_DIR when set', () => {
    const env = { home: '/home/u', vars: { CLAUDE_CONFIG_DIR: '/cfg/a,/cfg/b' } };
    expect(hookAgent('claude').settingsFile(env, 'project', '/work/p')).toBe('/work/p/.claude/settings.json');
    expect(hookAgent('claude').settingsFile(env, 'user', '/work/p')).toBe('/cfg/a/settings.json');
    expect(hookAgent('codex').settingsFile({ home: '/home/u', vars: {} }, 'user', '/')).toBe(
      '/home/u/.codex/hooks.json',
    );
  });

  it('quotes paths with spaces and still recognises its own commands, and only those', () => {
    const command = hookCommand({
      node: '/opt/node 24/bin/node',
      script: "/my dir/it's/bin/agentlog.js",
      agent: 'claude',
    });
    expect(command).toBe(`'/opt/node 24/bin/node' '/my dir/it'\\''s/bin/agentlog.js' hooks run claude`);
    expect(isAgentlogHook(command, 'claude')).toBe(true);
    expect(isAgentlogHook(command, 'codex')).toBe(false);
    expect(isAgentlogHook('npx agentlog hooks run claude', 'claude')).toBe(true);
    expect(isAgentlogHook("notify-send 'hooks run claude'", 'claude')).toBe(false);
  });

  it('refuses settings whose hooks are not in the expected shape', () => {
    const handler = { type: 'command', command: 'agentlog hooks run claude' };
    const ours = (c: unknown) => isAgentlogHook(c, 'claude');
    expect(() => withHooks({ hooks: [] }, 's.json', ['Stop'], handler, ours)).toThrow(
      '"hooks" is not an object',
    );
    expect(() => withHooks({ hooks: { Stop: {} } }, 's.json', ['Stop'], handler, ours)).toThrow(
      '"hooks.Stop" is not a list',
    );
    expect(() => withHooks([], 's.json', ['Stop'], handler, ours)).toThrow('does not hold a JSON object');
    // Groups it does not understand are kept as they are.
    const odd = { hooks: { Stop: ['weird', { matcher: 'x' }] } };
    const added = withHooks(odd, 's.json', ['Stop'], handler, ours).settings;
    expect(withoutHooks(added, 's.json', ours).settings).toEqual(odd);
  });
});
