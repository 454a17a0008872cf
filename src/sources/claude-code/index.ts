import type { SourceFormat } from '../source-format.ts';
import { detectClaude } from './detect.ts';
import { ClaudeParser, claudeSource } from './parse.ts';
import { claudeProjectRoots, discoverClaudeFiles } from './paths.ts';

export const claudeCode: SourceFormat = {
  name: claudeSource,
  layout: 'lines',
  aliases: ['claude', 'claude-code'],
  defaultRoots: claudeProjectRoots,
  discover: discoverClaudeFiles,
  detect: detectClaude,
  createParser: (file) => new ClaudeParser(file),
};
