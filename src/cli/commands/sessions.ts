import type { Command } from 'commander';
import { AgentlogError } from '../../domain/errors.ts';
import type { Session } from '../../domain/session.ts';
import type { SessionTransition } from '../../domain/session-transition.ts';
import type { Agentlog } from '../../agentlog.ts';
import { withAgentlog, type GlobalOptions } from '../context.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';

export function registerSessions(program: Command, io: CliIo): void {
  const sessions = program.command('sessions').description('List and show stored sessions.');

  sessions
    .command('list')
    .description('List sessions, newest first.')
    .option('--source <name>', 'only sessions from this source (claude-code, ...)')
    .option('--limit <n>', 'at most this many', (v) => parsePositive(v, '--limit'), 50)
    .option('--json', 'print JSON on stdout')
    .action(async (options: { source?: string; limit: number; json?: boolean }, command: Command) => {
      await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), async ({ store, project }) => {
        const list = await store.listSessions({
          projectId: project.id,
          limit: options.limit,
          ...(options.source ? { source: options.source } : {}),
        });
        if (options.json) return writeJson(io, { sessions: list });
        if (list.length === 0)
          return writeLine(io.stderr, 'No sessions yet: run `npx agentlog import` first.');
        for (const s of list) writeLine(io.stdout, sessionLine(s));
      });
    });

  sessions
    .command('show')
    .description('Show one session with its messages.')
    .argument('<id>', "session id, the source's own session id, or a unique prefix of either")
    .option('--format <format>', 'markdown or json', 'markdown')
    .action(async (ref: string, options: { format: string }, command: Command) => {
      if (options.format !== 'markdown' && options.format !== 'json') {
        throw new AgentlogError('INVALID_ARGUMENT', `Unknown format "${options.format}".`, {
          hint: 'Use markdown or json.',
        });
      }
      await withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), async (agentlog) => {
        const session = await resolveSession(agentlog, ref);
        const transitions = await agentlog.store.sessionTransitions(session.id);
        if (options.format === 'json') {
          const messages = [];
          for await (const m of agentlog.store.messages(session.id)) messages.push(m);
          return writeJson(io, { session, transitions, messages });
        }
        const { createMarkdownRenderer, sessionHeader } = await import('../../analytics/session-markdown.ts');
        io.stdout.write(`${sessionHeader(session)}\n`);
        if (transitions.length > 0) io.stdout.write(`${statusHistory(session, transitions)}\n`);
        const render = createMarkdownRenderer();
        for await (const m of agentlog.store.messages(session.id)) {
          // A message that renders nothing (a silent line of a response) adds no blank line either.
          const text = render(m);
          if (text.length > 0) io.stdout.write(`${text}\n`);
        }
      });
    });
}

export async function resolveSession(agentlog: Agentlog, ref: string): Promise<Session> {
  const found = await agentlog.store.findSessions(agentlog.project.id, ref);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) {
    throw new AgentlogError('NOT_FOUND', `No session matches "${ref}".`, {
      hint: 'See `npx agentlog sessions list`.',
    });
  }
  const names = found
    .slice(0, 5)
    .map((s) => `${s.id} (${s.externalId})`)
    .join(', ');
  throw new AgentlogError('AMBIGUOUS', `"${ref}" matches ${found.length} sessions: ${names}.`, {
    hint: 'Give more characters of the id.',
  });
}

/** The session's lifecycle as Markdown: each change of status with when and why. */
function statusHistory(session: Session, transitions: readonly SessionTransition[]): string {
  const lines = [`Status: ${session.status}`, ''];
  for (const t of transitions)
    lines.push(`- ${new Date(t.at).toISOString()} ${t.from} → ${t.to}: ${t.reason.replace(/\s+/g, ' ')}`);
  return `${lines.join('\n')}\n`;
}

function sessionLine(s: Session): string {
  const when =
    s.startedAt === null
      ? '—'.padEnd(16)
      : new Date(s.startedAt).toISOString().slice(0, 16).replace('T', ' ');
  const title = (s.title ?? '(untitled)').replace(/\s+/g, ' ').slice(0, 60);
  const sub = s.parentSessionId ? ' ↳ sub-agent' : '';
  return `${s.id}  ${when}  ${s.source.padEnd(11)}  ${String(s.messageCount).padStart(5)} msgs  ${title}${sub}`;
}

export function parsePositive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new AgentlogError('INVALID_ARGUMENT', `${flag} takes a positive whole number, not "${value}".`);
  }
  return n;
}
