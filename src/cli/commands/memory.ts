import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { AgentlogError } from '../../domain/errors.ts';
import { roles } from '../../domain/message.ts';
import type { SessionMemory } from '../../memory/index.ts';
import type { ContextResult, MemoryMessage } from '../../memory/memory-contract.ts';
import { withAgentlog, type GlobalOptions } from '../context.ts';
import { writeJson, writeLine, type CliIo } from '../io.ts';
import { parsePositive } from './sessions.ts';

type Json = { json?: boolean };

/** `agentlog memory …`: session memory on the local store, thin over the library (src/memory). */
export function registerMemory(program: Command, io: CliIo): void {
  const memory = program
    .command('memory')
    .description('Session memory: remember conversations and build the context for the next model call.');
  const run: Run = (command, work) =>
    withAgentlog(io, command.optsWithGlobals<GlobalOptions>(), async (agentlog) => {
      const { memoryOver } = await import('../../memory/index.ts');
      const opened = memoryOver(agentlog);
      try {
        await work(opened);
      } finally {
        await opened.close();
      }
    });
  for (const register of [
    addCommand,
    recentCommand,
    contextCommand,
    searchCommand,
    editCommand,
    revisionsCommand,
    branchCommand,
    exportCommand,
    pinCommand,
    pinsCommand,
    retentionCommand,
  ])
    register(memory, io, run);
}

/** Runs one command's work on the memory of the store the global options name. */
type Run = (command: Command, work: (memory: SessionMemory) => Promise<void>) => Promise<void>;

const number = (flag: string) => (value: string) => parsePositive(value, flag);

function addCommand(memory: Command, io: CliIo, run: Run): void {
  memory
    .command('add')
    .description('Add a message to a session (created if new).')
    .argument('<session>', 'the session: your name for it, or a session id (ses_…)')
    .requiredOption('--role <role>', roles.join(', '))
    .option('--content <text>', 'what the message says')
    .option('--content-file <path>', 'read the content from a file instead')
    .option('--agent <name>', 'who wrote it (shown as "User (name): …")')
    .option('--id <id>', 'your id for it: sending the same id again stores nothing')
    .option('--metadata <json>', 'a JSON object kept with the message')
    .option('--json', 'print JSON on stdout')
    .addHelpText(
      'after',
      '\nExample:\n  npx agentlog memory add chat-42 --role user --content "How big is it?" --agent "sizing agent"\n',
    )
    .action(async (session: string, options: AddOptions, command: Command) => {
      const input = {
        role: options.role as (typeof roles)[number],
        content: await contentOf(options),
        ...(options.agent === undefined ? {} : { agent: options.agent }),
        ...(options.id === undefined ? {} : { id: options.id }),
        ...(options.metadata === undefined ? {} : { metadata: parseObject(options.metadata, '--metadata') }),
      };
      await run(command, async (m) => {
        const result = await m.addMessage(session, input);
        if (options.json) return writeJson(io, result);
        const what = result.status === 'stored' ? 'stored as' : 'already stored as';
        writeLine(io.stdout, `${what} message ${result.message.id} in ${result.message.sessionId}`);
      });
    });
}

function recentCommand(memory: Command, io: CliIo, run: Run): void {
  memory
    .command('recent')
    .description('The newest messages of a session, the most recent last.')
    .argument('<session>', 'session name or id')
    .option('--limit <n>', 'at most this many', number('--limit'), 20)
    .option('--json', 'print JSON on stdout')
    .action(async (session: string, options: Json & { limit: number }, command: Command) => {
      await run(command, async (m) => {
        const result = await m.recentMessages(session, { limit: options.limit });
        if (options.json) return writeJson(io, result);
        for (const message of result.messages) writeLine(io.stdout, messageLine(message));
      });
    });
}

function contextCommand(memory: Command, io: CliIo, run: Run): void {
  memory
    .command('context')
    .description('The pinned notes and the newest history that fit a token budget (o200k_base).')
    .argument('<session>', 'session name or id')
    .requiredOption('--max-tokens <n>', 'the budget', number('--max-tokens'))
    .option('--max-messages <n>', 'at most this many history messages', number('--max-messages'))
    .option(
      '--per-message-chars <n>',
      'cut longer messages to this many characters (default 8000)',
      number('--per-message-chars'),
    )
    .option('--format <format>', 'text (one line per message) or messages (chat API messages)', 'text')
    .option('--json', 'print the whole answer as JSON on stdout')
    .addHelpText(
      'after',
      '\nExample:\n  npx agentlog memory context chat-42 --max-tokens 2000 --format messages --json\n',
    )
    .action(async (session: string, options: ContextOptions, command: Command) => {
      if (options.format !== 'text' && options.format !== 'messages')
        throw new AgentlogError(
          'INVALID_ARGUMENT',
          `--format takes text or messages, not "${options.format}".`,
        );
      await run(command, async (m) => {
        const result = await m.context(session, {
          maxTokens: options.maxTokens,
          format: options.format as 'text' | 'messages',
          ...(options.maxMessages === undefined ? {} : { maxMessages: options.maxMessages }),
          ...(options.perMessageChars === undefined ? {} : { perMessageChars: options.perMessageChars }),
        });
        if (options.json) return writeJson(io, result);
        if (result.format === 'text') writeLine(io.stdout, result.text);
        else writeJson(io, result.messages);
        writeLine(io.stderr, contextSummary(result));
      });
    });
}

function searchCommand(memory: Command, io: CliIo, run: Run): void {
  memory
    .command('search')
    .description('Find messages holding all the words, in one session or the whole project.')
    .argument('<query>', 'the words')
    .option('--session <session>', 'only this session’s history')
    .option('--limit <n>', 'at most this many', number('--limit'), 20)
    .option('--json', 'print JSON on stdout')
    .action(async (query: string, options: Json & { session?: string; limit: number }, command: Command) => {
      await run(command, async (m) => {
        const scope = options.session === undefined ? 'project' : { session: options.session };
        const result = await m.search(scope, query, { limit: options.limit });
        if (options.json) return writeJson(io, result);
        for (const hit of result.hits)
          writeLine(io.stdout, `#${hit.message.id}  ${hit.message.sessionId}  ${oneLine(hit.snippet, 120)}`);
      });
    });
}

function editCommand(memory: Command, io: CliIo, run: Run): void {
  memory
    .command('edit')
    .description('Replace a message’s content; every earlier version is kept (see `memory revisions`).')
    .argument('<message>', 'message id', number('message id'))
    .option('--content <text>', 'the new content')
    .option('--content-file <path>', 'read the new content from a file instead')
    .option('--json', 'print JSON on stdout')
    .action(
      async (id: number, options: Json & { content?: string; contentFile?: string }, command: Command) => {
        const content = await contentOf(options);
        await run(command, async (m) => {
          const result = await m.editMessage(id, content);
          if (options.json) return writeJson(io, result);
          writeLine(io.stdout, result.changed ? `message ${id} edited` : `message ${id} already says that`);
        });
      },
    );
}

function revisionsCommand(memory: Command, io: CliIo, run: Run): void {
  memory
    .command('revisions')
    .description('A message and its earlier versions, oldest first.')
    .argument('<message>', 'message id', number('message id'))
    .option('--json', 'print JSON on stdout')
    .action(async (id: number, options: Json, command: Command) => {
      await run(command, async (m) => {
        const result = await m.revisions(id);
        if (options.json) return writeJson(io, result);
        for (const r of result.revisions)
          writeLine(io.stdout, `${new Date(r.replacedAt).toISOString()}  ${oneLine(r.content, 100)}`);
        writeLine(io.stdout, `now                       ${oneLine(result.message.content, 100)}`);
      });
    });
}

function branchCommand(memory: Command, io: CliIo, run: Run): void {
  memory
    .command('branch')
    .description('A new session sharing a session’s history up to (and including) a message.')
    .argument('<session>', 'session name or id')
    .requiredOption('--from <message>', 'the last message to share', number('--from'))
    .option('--name <name>', 'the new session’s name (default: the parent’s name and a random suffix)')
    .option('--json', 'print JSON on stdout')
    .action(async (session: string, options: Json & { from: number; name?: string }, command: Command) => {
      await run(command, async (m) => {
        const branched = await m.branch(
          session,
          options.from,
          options.name === undefined ? {} : { name: options.name },
        );
        if (options.json) return writeJson(io, { session: branched });
        writeLine(io.stdout, `${branched.name} (${branched.id})`);
      });
    });
}

function exportCommand(memory: Command, io: CliIo, run: Run): void {
  memory
    .command('export')
    .description('The whole history (a branch’s shared part included) as JSON or Markdown.')
    .argument('<session>', 'session name or id')
    .option('--format <format>', 'json or markdown', 'json')
    .action(async (session: string, options: { format: string }, command: Command) => {
      if (options.format !== 'json' && options.format !== 'markdown')
        throw new AgentlogError(
          'INVALID_ARGUMENT',
          `--format takes json or markdown, not "${options.format}".`,
        );
      await run(command, async (m) => {
        for await (const chunk of await m.exportSession(session, options.format as 'json' | 'markdown'))
          io.stdout.write(chunk);
      });
    });
}

function pinCommand(memory: Command, io: CliIo, run: Run): void {
  memory
    .command('pin')
    .description('Pin a note to a session: every context window of it includes the note.')
    .argument('<session>', 'session name or id')
    .requiredOption('--note <text>', 'the note')
    .option('--json', 'print JSON on stdout')
    .action(async (session: string, options: Json & { note: string }, command: Command) => {
      await run(command, async (m) => {
        const note = await m.pin(session, options.note);
        if (options.json) return writeJson(io, { note });
        writeLine(io.stdout, `pinned as message ${note.id}`);
      });
    });
}

function pinsCommand(memory: Command, io: CliIo, run: Run): void {
  memory
    .command('pins')
    .description('The notes pinned to a session, oldest first.')
    .argument('<session>', 'session name or id')
    .option('--json', 'print JSON on stdout')
    .action(async (session: string, options: Json, command: Command) => {
      await run(command, async (m) => {
        const pins = await m.pins(session);
        if (options.json) return writeJson(io, { pins });
        for (const note of pins) writeLine(io.stdout, `#${note.id}  ${oneLine(note.content, 120)}`);
      });
    });
}

function retentionCommand(memory: Command, io: CliIo, run: Run): void {
  memory
    .command('retention')
    .description('How many of the newest messages the hot window keeps; older ones stay stored, archived.')
    .argument('<session>', 'session name or id')
    .option('--keep-last <n>', 'keep the newest n messages in the window (e.g. 50)', number('--keep-last'))
    .option('--keep-all', 'keep every message in the window (the default)')
    .option('--json', 'print JSON on stdout')
    .action(
      async (session: string, options: Json & { keepLast?: number; keepAll?: boolean }, command: Command) => {
        if ((options.keepLast === undefined) === (options.keepAll === undefined))
          throw new AgentlogError('INVALID_ARGUMENT', 'Give one of --keep-last <n> or --keep-all.');
        await run(command, async (m) => {
          const updated = await m.setRetention(session, { keepLast: options.keepLast ?? null });
          if (options.json) return writeJson(io, { session: updated });
          const policy =
            updated.retention.keepLast === null ? 'all messages' : `the last ${updated.retention.keepLast}`;
          writeLine(io.stdout, `${updated.name}: the hot window keeps ${policy}`);
        });
      },
    );
}

type AddOptions = Json & {
  role: string;
  content?: string;
  contentFile?: string;
  agent?: string;
  id?: string;
  metadata?: string;
};

type ContextOptions = Json & {
  maxTokens: number;
  maxMessages?: number;
  perMessageChars?: number;
  format: string;
};

async function contentOf(options: { content?: string; contentFile?: string }): Promise<string> {
  if ((options.content === undefined) === (options.contentFile === undefined))
    throw new AgentlogError('INVALID_ARGUMENT', 'Give one of --content <text> or --content-file <path>.');
  if (options.content !== undefined) return options.content;
  try {
    return await readFile(options.contentFile!, 'utf8');
  } catch (cause) {
    throw new AgentlogError('INVALID_ARGUMENT', `Cannot read ${options.contentFile}.`, { cause });
  }
}

function parseObject(text: string, flag: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AgentlogError('INVALID_ARGUMENT', `${flag} takes a JSON object, like '{"channel":"web"}'.`);
  return value as Record<string, unknown>;
}

const oneLine = (text: string, max: number) => {
  const line = text.replaceAll(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

function messageLine(message: MemoryMessage): string {
  const who = message.agent === null ? message.role : `${message.role} (${message.agent})`;
  return `#${message.id}  ${who}: ${oneLine(message.content, 160)}`;
}

function contextSummary(result: ContextResult): string {
  const parts = [`${result.included} messages`, `${result.pinned} pinned notes`, `${result.tokens} tokens`];
  if (result.omitted > 0) parts.push(`${result.omitted} left out (${result.archived} archived)`);
  if (result.truncated > 0) parts.push(`${result.truncated} cut to fit`);
  return parts.join(', ');
}
