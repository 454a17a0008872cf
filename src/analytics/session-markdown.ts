import type { Block } from '../domain/blocks.ts';
import type { Message } from '../domain/message.ts';
import type { Session } from '../domain/session.ts';

const maxToolText = 4000;

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

function resultText(content: string | Block[]): string {
  if (typeof content === 'string') return content;
  return content.map((b) => (b.type === 'text' ? b.text : `[${b.type}]`)).join('\n');
}

function renderBlock(block: Block): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'thinking':
      if (block.redacted) return '<details><summary>Thinking (redacted)</summary></details>';
      return `<details><summary>Thinking</summary>\n\n${block.thinking}\n\n</details>`;
    case 'tool_use':
      return `**Tool call** \`${block.name}\` (\`${block.id}\`)\n\n${fence(clip(JSON.stringify(block.input, null, 2)), 'json')}`;
    case 'tool_result':
      return `**Tool result**${block.isError ? ' (error)' : ''} for \`${block.toolUseId}\`\n\n${fence(clip(resultText(block.content)))}`;
    case 'image':
      return `*[image ${block.mediaType}, ${block.size} bytes]*`;
    case 'other':
      return `*[${block.kind} block]*`;
    default:
      block satisfies never;
      return '';
  }
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

/** One message as Markdown: a heading naming the speaker and kind, then its blocks. */
export function messageMarkdown(message: Message): string {
  const label =
    message.kind === 'message'
      ? headings[message.role]
      : `${headings[message.role]} · ${message.kind.replace('_', ' ')}`;
  const when = message.timestamp === null ? '' : ` <sub>${iso(message.timestamp)}</sub>`;
  const body = message.blocks
    .map(renderBlock)
    .filter((s) => s.length > 0)
    .join('\n\n');
  if (message.kind === 'compact_summary') {
    return `## ${label}${when}\n\n<details><summary>Compaction summary</summary>\n\n${body}\n\n</details>\n`;
  }
  return `## ${label}${when}\n\n${body || '*(empty)*'}\n`;
}
