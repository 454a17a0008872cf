import type { Block } from '../../domain/blocks.ts';

/**
 * Context the IDE extensions and the harness put into a user message beside what the user typed:
 * the file open in the editor, the lines selected, diagnostics, reminders. Such a section is not
 * the prompt, so it never becomes the session's title.
 */
const contextTags = ['ide_opened_file', 'ide_selection', 'ide_diagnostics', 'system-reminder'];
const leadingContext = new RegExp(`^\\s*<(${contextTags.join('|')})>[\\s\\S]*?</\\1>`);

/** A text without the context sections it starts with. */
function withoutLeadingContext(text: string): string {
  let rest = text;
  for (let match = leadingContext.exec(rest); match !== null; match = leadingContext.exec(rest))
    rest = rest.slice(match[0].length);
  return rest;
}

/** What the user typed in a message: its text blocks, less the context sections the harness added. */
export function promptText(blocks: readonly Block[]): string {
  const parts: string[] = [];
  for (const block of blocks) {
    if (block.type !== 'text') continue;
    const text = withoutLeadingContext(block.text).trim();
    if (text.length > 0) parts.push(text);
  }
  return parts.join('\n');
}

/** Slash commands and their output, and bash mode (`! ls`): typed or shown locally, not prompts. */
const commandPrefixes = [
  '<command-name>',
  '<command-message>',
  '<local-command-stdout>',
  '<local-command-caveat>',
  '<bash-input>',
  '<bash-stdout>',
  '<bash-stderr>',
];

export function isCommandText(text: string): boolean {
  const start = text.trimStart();
  return commandPrefixes.some((p) => start.startsWith(p));
}
