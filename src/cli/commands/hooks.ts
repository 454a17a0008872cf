import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { hookAgent, hookAgents, type HookAgent, type HookScope } from '../../capture/hooks/hook-agents.ts';
import type { HookCommandParts } from '../../capture/hooks/hook-command.ts';
import type { HookInput } from '../../capture/hooks/hook-input.ts';
// Static: the handler's last resort must not depend on loading anything.
import { appendHookLog } from '../../capture/hooks/hook-log.ts';
import { AgentlogError } from '../../domain/errors.ts';
import { withAgentlog, type GlobalOptions } from '../context.ts';
import { writeLine, type CliIo } from '../io.ts';

const agentlogScript = fileURLToPath(new URL('../../../bin/agentlog.js', import.meta.url));
const agentNames = hookAgents.map((a) => a.name).join(', ');
const incompleteTail = 'incomplete last line';

export function registerHooks(program: Command, io: CliIo): void {
  const hooks = program
    .command('hooks')
    .description(`Have agents (${agentNames}) hand their transcripts to agentlog as they work.`);

  hooks
    .command('install')
    .description("Add agentlog to the agent's hooks (idempotent; every other setting and hook is kept).")
    .argument('<agent>', agentNames)
    .option('--scope <scope>', "user (your own settings) or project (this directory's)", 'user')
    .action(async (name: string, options: { scope: string }, command: Command) => {
      const agent = hookAgent(name);
      const parts = commandParts(io, command.optsWithGlobals<GlobalOptions>(), agent);
      const { hookCommand, isAgentlogHook, readSettingsFile, withHooks, writeSettingsFile } =
        await loadSettingsEditing();
      const file = await readSettingsFile(settingsPath(io, agent, options.scope));
      const { settings, changes } = withHooks(
        file.value,
        file.path,
        agent.events,
        agent.handler(hookCommand(parts)),
        (c) => isAgentlogHook(c, agent.name),
      );
      const changed = changes.filter((c) => c.change !== 'unchanged');
      if (changed.length > 0) await writeSettingsFile(file, settings);
      const events = changes.map((c) => c.event).join(', ');
      const what =
        changed.length === 0
          ? 'already installed'
          : changed.some((c) => c.change === 'updated')
            ? 'updated'
            : 'installed';
      writeLine(io.stdout, `${agent.title}: agentlog hooks ${what} for ${events} in ${file.path}`);
      for (const note of agent.notes(parts)) writeLine(io.stderr, `  note: ${note}`);
    });

  hooks
    .command('uninstall')
    .description('Remove the hooks agentlog added, and only those.')
    .argument('<agent>', agentNames)
    .option('--scope <scope>', "user (your own settings) or project (this directory's)", 'user')
    .action(async (name: string, options: { scope: string }) => {
      const agent = hookAgent(name);
      const { isAgentlogHook, readSettingsFile, withoutHooks, writeSettingsFile } =
        await loadSettingsEditing();
      const file = await readSettingsFile(settingsPath(io, agent, options.scope));
      const { settings, removed } = withoutHooks(file.value, file.path, (c) => isAgentlogHook(c, agent.name));
      if (removed.length > 0) await writeSettingsFile(file, settings);
      writeLine(
        io.stdout,
        removed.length === 0
          ? `${agent.title}: no agentlog hooks in ${file.path}`
          : `${agent.title}: agentlog hooks removed from ${removed.join(', ')} in ${file.path}`,
      );
    });

  hooks
    .command('run')
    .description(
      'The hook handler: reads the hook input (JSON on stdin) and stores the new part of the transcript.',
    )
    .argument('<agent>', agentNames)
    .argument('[payload]', "Codex notify's JSON argument; otherwise the input is read from stdin")
    .addHelpText(
      'after',
      '\nAlways exits 0, so it never disturbs the agent; problems go to <data dir>/hooks.log.\n',
    )
    .action(async (name: string, payload: string | undefined, _options: unknown, command: Command) => {
      await runHookSafely(io, command.optsWithGlobals<GlobalOptions>(), name, payload);
    });
}

/** Runs the handler; anything that goes wrong is logged, never thrown: the agent must not fail. */
async function runHookSafely(io: CliIo, global: GlobalOptions, name: string, payload: string | undefined) {
  const home = io.env.HOME ?? homedir();
  // The same rule as the configuration's, so the log is findable even when the config is broken.
  const logDir = resolve(global.dataDir ?? io.env.AGENTLOG_HOME ?? join(home, '.agentlog'));
  let input: HookInput | null = null;
  try {
    const { readInput } = await import('../../capture/hooks/read-input.ts');
    const text = payload ?? (await readInput(process.stdin, { maxBytes: 4 << 20, timeoutMs: 10_000 }));
    const agent = hookAgent(name);
    const [{ parseHookInput }, { runHook }, { LiveSessions }, { createLifecycle }, { sourceFormat }] =
      await Promise.all([
        import('../../capture/hooks/hook-input.ts'),
        import('../../capture/hooks/hook-run.ts'),
        import('../../capture/live-sessions.ts'),
        import('../../jobs/job-runtime.ts'),
        import('../../sources/registry.ts'),
      ]);
    input = parseHookInput(text, home);
    const hookInput = input;
    const format = sourceFormat(agent.source);
    const results = await withAgentlog(io, global, (agentlog) =>
      runHook({
        store: agentlog.store,
        projectId: agentlog.project.id,
        format,
        input: hookInput,
        env: { home, vars: io.env },
        pipeline: agentlog.ingestPipeline(),
        live: new LiveSessions(agentlog.store, createLifecycle(agentlog), agentlog.project.id),
      }),
    );
    for (const { file, outcome } of results) {
      if (outcome.status === 'skipped') {
        await appendHookLog(logDir, {
          agent: name,
          ...hookContext(hookInput),
          file,
          skipped: outcome.reason,
        });
      } else if (outcome.status === 'imported') {
        const lines = outcome.skippedLines.filter((l) => !l.reason.startsWith(incompleteTail));
        if (lines.length > 0)
          await appendHookLog(logDir, {
            agent: name,
            ...hookContext(hookInput),
            file,
            skippedLines: lines.slice(0, 20),
          });
      }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await appendHookLog(logDir, { agent: name, ...(input ? hookContext(input) : {}), error: message });
  }
}

/** What install and uninstall use to edit an agent's settings file. */
async function loadSettingsEditing() {
  const [command, settings, file] = await Promise.all([
    import('../../capture/hooks/hook-command.ts'),
    import('../../capture/hooks/hook-settings.ts'),
    import('../../capture/hooks/settings-file.ts'),
  ]);
  return { ...command, ...settings, ...file };
}

function hookContext(input: HookInput) {
  return { event: input.event, session: input.sessionId };
}

function commandParts(io: CliIo, global: GlobalOptions, agent: HookAgent): HookCommandParts {
  const dataDir = global.dataDir ?? io.env.AGENTLOG_HOME;
  return {
    node: process.execPath,
    script: agentlogScript,
    dataDir: dataDir === undefined ? undefined : resolve(dataDir),
    project: global.project ?? io.env.AGENTLOG_PROJECT,
    agent: agent.name,
  };
}

function settingsPath(io: CliIo, agent: HookAgent, scope: string): string {
  if (scope !== 'user' && scope !== 'project') {
    throw new AgentlogError('INVALID_ARGUMENT', `--scope takes user or project, not "${scope}".`);
  }
  return agent.settingsFile(
    { home: io.env.HOME ?? homedir(), vars: io.env },
    scope satisfies HookScope,
    process.cwd(),
  );
}
