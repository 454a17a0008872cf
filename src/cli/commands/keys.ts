import type { Command } from 'commander';
import { defaultApiKeyScopes, type ApiKey } from '../../domain/api-key.ts';
import { withAgentlog, type GlobalOptions } from '../context.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';

export function registerKeys(program: Command, io: CliIo): void {
  const keys = program.command('keys').description('API keys of the ingest server (`agentlog serve`).');

  keys
    .command('create')
    .description('Create a key for a project (--project; created if new). The key is printed once.')
    .option('--scopes <list>', 'comma-separated: ingest, read, admin', defaultApiKeyScopes.join(','))
    .option('--name <label>', 'a label to recognise the key by in `keys list`')
    .option('--json', 'print JSON on stdout')
    .addHelpText(
      'after',
      '\nExample:\n  npx agentlog keys create --project web --scopes ingest,read --json\n',
    )
    .action(async (options: { scopes: string; name?: string; json?: boolean }, command: Command) => {
      const { issueApiKey, parseScopes } = await import('../../auth/api-keys.ts');
      const scopes = parseScopes(options.scopes);
      const global = command.optsWithGlobals<GlobalOptions>();
      const { key, apiKey } = await withAgentlog(io, global, (agentlog) =>
        issueApiKey(agentlog.store, { projectName: agentlog.config.project, scopes, name: options.name }),
      );
      if (options.json) return writeJson(io, { key, ...apiKey });
      writeLine(io.stdout, key);
      writeLine(
        io.stderr,
        `Created key ${apiKey.id} for project ${apiKey.projectName} (scopes: ${apiKey.scopes.join(', ')}). ` +
          'It is shown only now: store it somewhere safe.',
      );
    });

  keys
    .command('list')
    .description('List keys (of --project when given), without their secrets.')
    .option('--json', 'print JSON on stdout')
    .action(async (options: { json?: boolean }, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const list = await withAgentlog(io, global, async ({ store, project }) =>
        store.listApiKeys(global.project === undefined ? undefined : project.id),
      );
      if (options.json) return writeJson(io, { keys: list });
      if (list.length === 0)
        return writeLine(io.stderr, 'No keys yet: create one with `npx agentlog keys create`.');
      for (const key of list) writeLine(io.stdout, keyLine(key));
    });

  keys
    .command('revoke')
    .description('Revoke a key: requests with it are refused from now on.')
    .argument('<id>', 'the key id (alk_…, as `keys list` shows it)')
    .option('--json', 'print JSON on stdout')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const { revokeApiKey } = await import('../../auth/api-keys.ts');
      const key = await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), ({ store }) =>
        revokeApiKey(store, id),
      );
      if (options.json) return writeJson(io, key);
      writeLine(io.stdout, `Revoked ${key.id} (project ${key.projectName}).`);
    });
}

function keyLine(key: ApiKey): string {
  const created = new Date(key.createdAt).toISOString().slice(0, 16).replace('T', ' ');
  const state = key.revokedAt === null ? 'active' : 'revoked';
  return `${key.id}  ${key.projectName.padEnd(16)}  ${key.scopes.join(',').padEnd(17)}  ${created}  ${state.padEnd(7)}  ${key.name ?? ''}`.trimEnd();
}
