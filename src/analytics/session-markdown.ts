import type { Block } from '../domain/blocks.ts';
import type { Message } from '../domain/message.ts';
import type { Session } from '../domain/session.ts';

const maxToolText = 4000;

// Terminal colour codes in command output (Claude's local-command stdout carries them) are noise here.
// eslint-disable-next-line no-control-regex
const ansiEscape = /\u001b\[[0-9;?]*[A-Za-z]/g;

function clean(text: string): string {
  return text.replace(ansiEscape, '');
}

function fence(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang}\n${text}\n${ticks}`;
}

function clip(text: string): string {
  return text.length <= maxToolText
    ? text
    : `${text.slice(0, maxToolText)}\n… (${text.length - maxToolText} more characters)`;
}

function imageNote(block: Extract<Block, { type: 'image' }>): string {
  return `[image ${block.mediaType}, ${block.size} bytes]`;
}

function resultText(content: string | Block[]): string {
  if (typeof content === 'string') return content;
  return content
    .map((b) => (b.type === 'text' ? b.text : b.type === 'image' ? imageNote(b) : `[${b.type}]`))
    .join('\n');
}

const headings: Record<string, string> = {
  user: 'User',
  assistant: 'Assistant',
  system: 'System',
  tool: 'Tool',
};

function iso(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString();
}

export function sessionHeader(session: Session): string {
  const lines = [`# ${session.title ?? session.externalId}`, ''];
  const facts: [string, string | null][] = [
    ['Session', session.id],
    ['Source', `${session.source} ${session.externalId}`],
    ['Working directory', session.cwd],
    ['Git branch', session.gitBranch],
    ['Models', session.models.join(', ') || null],
    ['Agent version', session.agentVersion],
    ['Started', iso(session.startedAt) || null],
    ['Ended', iso(session.endedAt) || null],
    ['Parent session', session.parentSessionId],
    ['Parent tool call', session.parentToolCallId],
    ['Forked from', session.forkedFromSessionId],
    ['Messages', String(session.messageCount)],
  ];
  for (const [label, value] of facts) if (value) lines.push(`- **${label}:** ${value}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Renders one session's messages in order. It remembers what later messages refer to: the names of
 * tool calls (a result then says which tool it answers) and the model response in progress (Claude
 * writes one record per content block; the blocks of one response go under one heading).
 */
export function createMarkdownRenderer(): (message: Message) => string {
  const toolNames = new Map<string, string>();
  let lastResponse: string | null = null;
  // A response whose first line said nothing: its heading waits for the response's next line.
  let silentStart: { responseId: string; timestamp: number | null } | null = null;

  const renderBlock = (block: Block): string => {
    switch (block.type) {
      case 'text':
        return block.text.trim().length === 0 ? '' : clean(block.text);
      case 'thinking':
        if (block.redacted) return '<details><summary>Thinking (redacted)</summary></details>';
        if (block.thinking.trim().length === 0) return '';
        return `<details><summary>Thinking</summary>\n\n${block.thinking}\n\n</details>`;
      case 'tool_use':
        toolNames.set(block.id, block.name);
        return `**Tool call** \`${block.name}\` (\`${block.id}\`)\n\n${fence(clip(JSON.stringify(block.input, null, 2)), 'json')}`;
      case 'tool_result': {
        const name = toolNames.get(block.toolUseId);
        const what = name === undefined ? 'Tool result' : `Result of \`${name}\``;
        const body = clip(clean(resultText(block.content)));
        return `**${what}**${block.isError ? ' (error)' : ''} for \`${block.toolUseId}\`\n\n${fence(body)}`;
      }
      case 'image':
        return `*${imageNote(block)}*`;
      case 'other':
        return `*[${block.kind} block]*`;
      default:
        block satisfies never;
        return '';
    }
  };

  return (message) => {
    const body = message.blocks
      .map(renderBlock)
      .filter((s) => s.length > 0)
      .join('\n\n');
    const continues = message.responseId !== null && message.responseId === lastResponse;
    if (!continues && message.responseId !== null && saysNothing(message)) {
      // Claude Code 2.1 writes a "\n\n" text line before the thinking line of the same response.
      if (silentStart?.responseId !== message.responseId)
        silentStart = { responseId: message.responseId, timestamp: message.timestamp };
      return '';
    }
    const started = silentStart?.responseId === message.responseId ? silentStart : null;
    silentStart = null;
    lastResponse = message.responseId;
    if (continues) return body.length === 0 ? '' : `${body}\n`;
    const { subtype: rawSubtype } = message.meta;
    const subtype = typeof rawSubtype === 'string' && rawSubtype !== message.kind ? ` (${rawSubtype})` : '';
    const label =
      message.kind === 'message'
        ? headings[message.role]
        : `${headings[message.role]} · ${message.kind.replaceAll('_', ' ')}${subtype}`;
    const timestamp = started === null ? message.timestamp : started.timestamp;
    const when = timestamp === null ? '' : ` <sub>${iso(timestamp)}</sub>`;
    if (message.kind === 'compact_summary') {
      return `## ${label}${when}\n\n<details><summary>Compaction summary</summary>\n\n${body}\n\n</details>\n`;
    }
    // An event (a turn's duration, a hook summary) may say all it has in its heading.
    if (body.length === 0 && message.kind !== 'message') return `## ${label}${when}\n`;
    return `## ${label}${when}\n\n${body || '*(empty)*'}\n`;
  };
}

/** A model's message whose blocks are only whitespace text: a line of a response, never the response. */
function saysNothing(message: Message): boolean {
  return (
    message.kind === 'message' &&
    message.blocks.length > 0 &&
    message.blocks.every((b) => b.type === 'text' && b.text.trim().length === 0)
  );
}
