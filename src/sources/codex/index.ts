import type { SourceFormat } from '../source-format.ts';
import { detectCodex } from './detect.ts';
import { CodexParser, codexSource } from './parse.ts';
import { codexHomes, discoverCodexFiles } from './paths.ts';

export const codex: SourceFormat = {
  name: codexSource,
  layout: 'lines',
  // The thread, the turn's model, cumulative token totals and message mirrors span lines.
  replaysOnResume: true,
  aliases: ['codex'],
  defaultRoots: codexHomes,
  discover: discoverCodexFiles,
  detect: detectCodex,
  createParser: (file) => new CodexParser(file),
};
