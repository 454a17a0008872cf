import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.ts';
import {
  claudeProjects,
  hasSharedFixtures,
  ownFixtures,
  sharedSkipReason,
} from '../../support/shared-fixtures.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { importClaude } from './imported-store.ts';

const tempDir = useTempDirs();

async function showMarkdown(projects: string, externalId: string): Promise<string> {
  const dataDir = tempDir();
  await importClaude(dataDir, [projects]);
  const shown = await runCli(['--data-dir', dataDir, 'sessions', 'show', externalId, '--format', 'markdown']);
  expect(shown.stderr).toBe('');
  expect(shown.code).toBe(0);
  return shown.stdout;
}

/** The Markdown from the heading that starts with `heading` up to the next heading. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start + 1, end === -1 ? undefined : end).trim();
}

describe('sessions show --format markdown (Claude Code)', () => {
  const projects = join(ownFixtures, 'claude-code', 'projects');
  const session = '5f3c2a1e-8b7d-4c6e-9f10-2a3b4c5d6e7f';

  it('puts one model response under one heading, thinking folded, tool calls as JSON', async () => {
    const md = await showMarkdown(projects, session);
    expect(md.startsWith('# Widget visibility fix\n')).toBe(true);
    expect(md).toContain('- **Models:** claude-opus-4-7\n');
    expect(section(md, '## Assistant <sub>2026-03-02T10:00:04.000Z</sub>')).toBe(
      [
        '## Assistant <sub>2026-03-02T10:00:04.000Z</sub>',
        '',
        '<details><summary>Thinking</summary>',
        '',
        'A blank widget usually means it is hidden by config. Look for the config first.',
        '',
        '</details>',
        '',
        '<details><summary>Thinking (redacted)</summary></details>',
        '',
        '**Tool call** `Agent` (`toolu_01Explore`)',
        '',
        '```json',
        '{',
        '  "description": "Find the widget config",',
        '  "prompt": "Locate the files that configure the widget.",',
        '  "subagent_type": "Explore"',
        '}',
        '```',
        '',
        '**Tool call** `Agent` (`toolu_01Plan`)',
        '',
        '```json',
        '{',
        '  "description": "Plan the fix",',
        '  "prompt": "Plan a fix for the blank widget.",',
        '  "subagent_type": "Plan"',
        '}',
        '```',
      ].join('\n'),
    );
    expect(md.match(/^## Assistant/gm)).toHaveLength(4);
  });

  it('shows each tool result with the tool it answers, errors and images marked', async () => {
    const md = await showMarkdown(projects, session);
    expect(section(md, '## Tool · tool result <sub>2026-03-02T10:00:21.000Z</sub>')).toBe(
      [
        '## Tool · tool result <sub>2026-03-02T10:00:21.000Z</sub>',
        '',
        '**Result of `Agent`** (error) for `toolu_01Plan`',
        '',
        '```',
        '[Request interrupted by user for tool use]',
        '```',
      ].join('\n'),
    );
    expect(section(md, '## Tool · tool result <sub>2026-03-02T10:00:24.000Z</sub>')).toContain(
      '**Result of `Read`** for `toolu_01Read`\n\n```\nScreenshot of the broken widget:\n[image image/gif, 42 bytes]\n```',
    );
    expect(section(md, '## User <sub>2026-03-02T10:00:01.000Z</sub>')).toContain(
      '*[image image/png, 70 bytes]*',
    );
  });

  it('labels injected context, errors and events by kind and subtype', async () => {
    const md = await showMarkdown(projects, session);
    expect(md).toContain(
      '## User · meta (hook_additional_context) <sub>2026-03-02T10:00:02.000Z</sub>\n\nThis project builds with pnpm.\n',
    );
    expect(md).toContain(
      '## System · api error <sub>2026-03-02T10:00:30.000Z</sub>\n\nAPI error 529: Overloaded (retry 1 of 10)\n',
    );
    expect(md).toContain('## Assistant · api error <sub>2026-03-02T10:00:40.000Z</sub>\n\nAPI Error: 529');
    expect(md).toContain(
      '## System · event (microcompact_boundary) <sub>2026-03-02T10:00:41.000Z</sub>\n\nContext microcompacted\n',
    );
  });

  it.skipIf(!hasSharedFixtures)(
    `folds a compaction summary away and strips terminal colours${hasSharedFixtures ? '' : ` (skipped: ${sharedSkipReason})`}`,
    async () => {
      const md = await showMarkdown(claudeProjects, '0cf3db51-1c73-43bb-8d05-dc02739514a5');
      const summary = section(md, '## User · compact summary');
      expect(summary).toMatch(
        /^## User · compact summary <sub>[^<]+<\/sub>\n\n<details><summary>Compaction summary<\/summary>\n\nThis session is being continued/,
      );
      expect(summary.endsWith('</details>')).toBe(true);
      expect(md).toContain(
        '## System · compact boundary <sub>2026-01-22T02:05:06.827Z</sub>\n\nConversation compacted',
      );
      expect(md).toContain('## System · event (turn_duration)');

      const short = await showMarkdown(claudeProjects, '55604662-cf2a-4331-851a-ec234028f8ca');
      expect(short).toContain(
        '<local-command-stdout>Kept model as Default (recommended)</local-command-stdout>',
      );
      expect(short).not.toContain('\u001b');
    },
  );
});

describe('sessions show --format markdown: lines that say nothing', () => {
  const projects = join(ownFixtures, 'claude-code', 'whitespace-lines');
  const session = '7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f';

  it('gives a whitespace-only text line no heading of its own; a message with no content is still shown empty', async () => {
    const md = await showMarkdown(projects, session);
    // Exactly as written: lines that render nothing add no blank lines between messages.
    const body = md.slice(md.indexOf('\n## ') + 1).trimEnd();
    expect(body).toBe(
      [
        '## User <sub>2026-03-06T09:00:01.000Z</sub>',
        '',
        'Why is the pump log empty?',
        '',
        // The response starts at its "\n\n" line, whose heading the thinking line takes.
        '## Assistant <sub>2026-03-06T09:00:03.000Z</sub>',
        '',
        '<details><summary>Thinking</summary>',
        '',
        'The log is flushed at the end of a cycle.',
        '',
        '</details>',
        '',
        'The pump writes its log only after a full cycle.',
        '',
        '## User <sub>2026-03-06T09:00:10.000Z</sub>',
        '',
        'Thanks.',
        '',
        '## Assistant <sub>2026-03-06T09:00:14.000Z</sub>',
        '',
        '*(empty)*',
      ].join('\n'),
    );
  });
});
